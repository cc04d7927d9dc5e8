import CSV
import Foundation

/// Only CSV.swift is imported here: its module `CSV` also declares a type `CSV`,
/// so its `CSVReader` cannot be qualified when FulcrumImport is visible too.

/// yaslab/CSV.swift: streaming, decodes through UnicodeScalar iterators.
func readYaslab(_ path: String) throws -> Count {
    let reader = try CSVReader(stream: InputStream(fileAtPath: path)!, hasHeaderRow: true)
    var c = Count()
    while let row = reader.next() {
        c.records += 1
        for f in row { c.fieldBytes += f.utf8.count }
    }
    if let error = reader.error { print("yaslab reported error after \(c.records) records: \(error)") }
    return c
}

func yaslab(_ bytes: [UInt8]) -> Outcome {
    Result {
        let r = try CSVReader(stream: InputStream(data: Data(bytes)), hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = r.next() { rows.append(row) }
        if let e = r.error { throw LibraryError(description: "\(e)") }
        return (r.headerRow ?? [], rows)
    }
}

