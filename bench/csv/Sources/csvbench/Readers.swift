import FulcrumImport
import Foundation
import SwiftCSV

/// Our streaming reader.
func readOurs(_ path: String) throws -> Count {
    let reader = try FulcrumImport.CSVReader(path: path)
    var c = Count()
    while let r = try reader.next() {
        c.records += 1
        for f in r.fields { c.fieldBytes += f.utf8.count }
    }
    return c
}

/// SwiftCSV: loads the whole file into a String and all rows into memory.
func readSwiftCSV(_ path: String) throws -> Count {
    let csv = try EnumeratedCSV(url: URL(fileURLWithPath: path), delimiter: .comma, loadColumns: false)
    var c = Count()
    for row in csv.rows {
        c.records += 1
        for f in row { c.fieldBytes += f.utf8.count }
    }
    return c
}
