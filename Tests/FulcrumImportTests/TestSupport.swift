@testable import FulcrumImport

/// Chunk sizes that put buffer boundaries inside quotes, CRLF pairs and BOMs.
let chunkSizes = [4, 5, 7, 13, 1 << 20]

func options(chunk: Int, delimiter: CSVDelimiter? = nil, caseInsensitive: Bool = false) -> CSVReader.Options {
    CSVReader.Options(delimiter: delimiter, caseInsensitiveHeaders: caseInsensitive, chunkSize: chunk)
}

/// All data records, failing the test on any error.
func readAll(_ bytes: [UInt8], _ opts: CSVReader.Options = CSVReader.Options(), name: String = "<memory>") throws -> (
    CSVReader, [CSVRecord]
) {
    let reader = try CSVReader(bytes: bytes, name: name, options: opts)
    var records: [CSVRecord] = []
    while let r = try reader.next() { records.append(r) }
    return (reader, records)
}

func readAll(_ text: String, _ opts: CSVReader.Options = CSVReader.Options()) throws -> (CSVReader, [CSVRecord]) {
    try readAll(Array(text.utf8), opts)
}

/// Records read before the first error, and that error (nil if none).
func readUntilError(_ bytes: [UInt8], _ opts: CSVReader.Options = CSVReader.Options(), name: String = "<memory>") -> (
    [CSVRecord], CSVError?
) {
    var records: [CSVRecord] = []
    do {
        let reader = try CSVReader(bytes: bytes, name: name, options: opts)
        while let r = try reader.next() { records.append(r) }
        return (records, nil)
    } catch {
        return (records, error)
    }
}

func readUntilError(_ text: String, _ opts: CSVReader.Options = CSVReader.Options()) -> ([CSVRecord], CSVError?) {
    readUntilError(Array(text.utf8), opts)
}
