import Foundation
import FulcrumCore
import FulcrumImport
import GRDB
import Testing

@testable import FulcrumStore

/// The bad-input corpus of docs/import.md, run against every importer with `--skip-invalid`: whatever is
/// wrong with a row, it is either written or counted as rejected and listed in the reject file with its
/// text. Nothing is lost silently — in particular not the rows after a broken quote.
@Suite("Reliability: the bad-input corpus against every importer")
struct ReliabilityCorpusTests {
    /// One importer's file: its header and a valid line for row `i`, with the field that holds a date.
    struct Shape: CustomTestStringConvertible, Sendable {
        var name: String
        var kind: ImportSourceKind
        var file: String
        var table: String
        var header: String
        var line: @Sendable (Int) -> [String]
        var dateField: Int
        var mapping: String?
        var testDescription: String { name }
    }

    static let shapes: [Shape] = [
        Shape(
            name: "canonical", kind: .canonical, file: "accounts.csv", table: "accounts",
            header: "id,name,segment,created_on", line: { ["a\($0)", "Name \($0)", "SMB", "2024-01-05"] }, dateField: 3
        ),
        Shape(
            name: "salesforce", kind: .salesforce, file: "Account.csv", table: "accounts",
            header: "Id,Name,Website,CreatedDate",
            line: { ["001\($0)", "Name \($0)", "n\($0).com", "2024-01-05T10:00:00.000+0000"] }, dateField: 3),
        Shape(
            name: "hubspot", kind: .hubspot, file: "companies.csv", table: "accounts",
            header: "hs_object_id,name,domain,createdate",
            line: { ["\(100 + $0)", "Name \($0)", "n\($0).com", "1704448800000"] }, dateField: 3),
        Shape(
            name: "stripe", kind: .stripe, file: "customers.csv", table: "accounts", header: "id,name,email,created",
            line: { ["cus_\($0)", "Name \($0)", "billing@n\($0).com", "1704448800"] }, dateField: 3),
        Shape(
            name: "mapped", kind: .canonical, file: "clients.csv", table: "accounts",
            header: "customer_id,company,signup", line: { ["C\($0)", "Name \($0)", "01/15/2024"] }, dateField: 2,
            mapping: """
                date_order: mdy
                files:
                  clients:
                    table: accounts
                    columns: {id: customer_id, name: company, created_on: signup}
                """),
    ]

    /// The corpus: what is done to a valid line, by line number of the data row.
    static let corruptions: [Int: (name: String, apply: @Sendable ([String], Int) -> [UInt8])] = [
        5: ("a quote that never closes", { f, _ in bytes(f, replacing: 1, with: "\"" + f[1]) }),
        10: ("a stray quote inside a field", { f, _ in bytes(f, replacing: 1, with: "x\"y") }),
        15: ("one field too many", { f, _ in Array((f + ["extra"]).joined(separator: ",").utf8) }),
        18: ("one field too few", { f, _ in Array(f.dropLast().joined(separator: ",").utf8) }),
        20: ("invalid UTF-8", { f, _ in bytes(f, replacing: 1, with: "Caf") + [0xFF] }),
        25: ("a date that is not a date", { f, dateField in bytes(f, replacing: dateField, with: "notadate") }),
        28: ("text after a closing quote", { f, _ in bytes(f, replacing: 1, with: "\"Name\"x") }),
    ]

    /// The fields as a CSV line with field `index` replaced (the rest left as they are).
    static func bytes(_ fields: [String], replacing index: Int, with text: String) -> [UInt8] {
        var f = fields
        f[index] = text
        let line = Array(f[0...index].joined(separator: ",").utf8)
        return index + 1 < f.count ? line + Array(("," + f[(index + 1)...].joined(separator: ",")).utf8) : line
    }

    @Test(
        "rows read = written + rejected, and every rejected row is in the reject file with its text",
        arguments: shapes, StoreBackend.available)
    func corpus(shape: Shape, backend: StoreBackend) throws {
        let f = try ImportFixture(backend)
        var content = Array((shape.header + "\r\n").utf8)
        var expectedRejects: [Int: [UInt8]] = [:]  // physical line → the line's bytes
        var kept: Set<String> = []
        var physical = 2
        for i in 1...40 {
            let fields = shape.line(i)
            var line = Array(fields.joined(separator: ",").utf8)
            if let corruption = Self.corruptions[i] {
                line = corruption.apply(fields, shape.dateField)
                expectedRejects[physical] = line
            } else {
                kept.insert(fields[0])
            }
            content += line + Array((i % 3 == 0 ? "\r\n" : "\n").utf8)
            physical += 1
            if i == 30 {
                // The same id twice in one file: the first is kept, the repeat rejected.
                let repeatLine = Array(shape.line(29).joined(separator: ",").utf8)
                content += repeatLine + [10]
                expectedRejects[physical] = repeatLine
                physical += 1
            }
        }
        try Data(content).write(to: URL(fileURLWithPath: f.folder + "/" + shape.file))
        let rejectFile = f.folder + "/rejects.csv"
        let mappingFile = try shape.mapping.map { try MappingFile.load(path: try f.write("m.yaml", $0)) }
        let result = try f.run([shape.file]) {
            $0.kind = shape.kind
            $0.skipInvalid = true
            $0.rejectFile = rejectFile
            $0.mappingFile = mappingFile
        }
        let summary = try #require(result.files.first { $0.table == shape.table })
        #expect(summary.read == 41, "\(summary)")
        #expect(summary.rejected == expectedRejects.count, "\(summary)")
        #expect(summary.read == summary.inserted + summary.updated + summary.unchanged + summary.rejected, "\(summary)")
        #expect(summary.inserted == kept.count)
        #expect(try f.count(shape.table) == kept.count)

        // The reject file: one row per problem; every rejected line is there with the line's own text.
        let reader = try CSVReader(path: rejectFile)
        var listed: [Int: String] = [:]
        while let record = try reader.next() {
            #expect(record.fields[0].hasSuffix(shape.file))
            #expect(!record.fields[4].isEmpty, "empty record for \(record.fields)")
            listed[Int(record.fields[1])!] = record.fields[4]
        }
        #expect(Set(listed.keys) == Set(expectedRejects.keys), "listed \(listed.keys.sorted())")
        for (line, bytes) in expectedRejects {
            #expect(listed[line] == String(decoding: bytes, as: UTF8.self), "line \(line)")
        }
    }
}
