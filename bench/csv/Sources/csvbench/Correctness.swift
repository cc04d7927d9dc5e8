import FulcrumImport
import Foundation
import SwiftCSV

/// One edge case and what a correct reader must produce.
struct Case {
    let name: String
    let bytes: [UInt8]
    /// Expected data rows, or nil when the input must be rejected.
    let expectedRows: [[String]]?
}

let cases: [Case] = [
    Case(name: "BOM stripped from first header", bytes: [0xEF, 0xBB, 0xBF] + Array("name,n\nx,1\n".utf8),
         expectedRows: [["x", "1"]]),
    Case(name: "embedded CRLF in quoted field", bytes: Array("a,b\r\n\"x\r\ny\",1\r\n2,3\r\n".utf8),
         expectedRows: [["x\r\ny", "1"], ["2", "3"]]),
    Case(name: "doubled quotes", bytes: Array("a,b\n\"say \"\"hi\"\"\",1\n".utf8), expectedRows: [["say \"hi\"", "1"]]),
    Case(name: "no trailing newline", bytes: Array("a,b\n1,2".utf8), expectedRows: [["1", "2"]]),
    Case(name: "empty line skipped", bytes: Array("a,b\n1,2\n\n3,4\n".utf8), expectedRows: [["1", "2"], ["3", "4"]]),
    Case(name: "ragged row rejected", bytes: Array("a,b\n1,2,3\n".utf8), expectedRows: nil),
    Case(name: "invalid UTF-8 rejected", bytes: Array("a,b\n1,ca".utf8) + [0xFF] + Array("fe\n".utf8), expectedRows: nil),
    Case(name: "unterminated quote rejected", bytes: Array("a,b\n1,\"abc\n".utf8), expectedRows: nil),
    Case(name: "stray quote rejected", bytes: Array("a,b\n1,ab\"c\n".utf8), expectedRows: nil),
]

/// Rows from a library, or the error text it raised.
typealias Outcome = Result<(header: [String], rows: [[String]]), Error>

func runCorrectness() {
    let header = ["name", "n"]
    for c in cases {
        print("## \(c.name)")
        for (lib, outcome) in [("ours", ours(c.bytes)), ("yaslab", yaslab(c.bytes)), ("swiftcsv", swiftCSV(c.bytes))] {
            print("  \(lib): \(verdict(c, outcome, bomHeader: c.name.hasPrefix("BOM") ? header : nil))")
        }
    }
}

func verdict(_ c: Case, _ outcome: Outcome, bomHeader: [String]?) -> String {
    switch (outcome, c.expectedRows) {
    case let (.failure(e), nil): return "OK (error: \(e))"
    case let (.failure(e), _?): return "WRONG (unexpected error: \(e))"
    case let (.success(got), nil): return "WRONG (accepted, rows \(got.rows.map { $0.debugDescription }))"
    case let (.success(got), want?):
        if let bomHeader, got.header != bomHeader { return "WRONG (header \(got.header.debugDescription))" }
        return got.rows == want ? "OK" : "WRONG (rows \(got.rows.debugDescription))"
    }
}

func ours(_ bytes: [UInt8]) -> Outcome {
    Result {
        let r = try FulcrumImport.CSVReader(bytes: bytes, name: "case.csv")
        var rows: [[String]] = []
        while let rec = try r.next() { rows.append(rec.fields) }
        return (r.header.names, rows)
    }
}

struct LibraryError: Error, CustomStringConvertible {
    let description: String
}

func swiftCSV(_ bytes: [UInt8]) -> Outcome {
    Result {
        let url = URL(fileURLWithPath: "/tmp/csvbench-case.csv")
        try Data(bytes).write(to: url)
        let csv = try EnumeratedCSV(url: url, delimiter: .comma, loadColumns: false)
        return (csv.header, csv.rows)
    }
}
