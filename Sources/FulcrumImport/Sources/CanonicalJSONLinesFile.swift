import Foundation

/// Reads one canonical JSON Lines file (`<table>.jsonl`): one JSON object per
/// line, keys = canonical column names (same rules as CSV headers). Values may
/// be strings, numbers, booleans or null; nested arrays and objects are errors.
/// Blank lines are skipped. Each line is read on its own, so memory stays flat.
public final class CanonicalJSONLinesFile: SourceFileReader {
    public let tables: [String]
    private let path: String
    private let known: Set<String>
    private let file: UnsafeMutablePointer<FILE>
    private var lineNumber = 0
    private var offset = 0
    private let totalBytes: Int
    private var buffer: UnsafeMutablePointer<CChar>? = nil
    private var capacity = 0

    public init(path: String, table: String, knownColumns: Set<String>) throws(ImportProblem) {
        guard let f = fopen(path, "r") else {
            throw ImportProblem(
                file: path, line: 1, column: 1, reason: "cannot open file: \(String(cString: strerror(errno)))")
        }
        file = f
        self.path = path
        self.known = knownColumns
        tables = [table]
        totalBytes = FileSize.of(path)
    }

    deinit {
        fclose(file)
        free(buffer)
    }

    public var progress: (done: Int, total: Int) { (offset, totalBytes) }

    public func next() throws(ImportProblem) -> SourceItem? {
        while true {
            let n = getline(&buffer, &capacity, file)
            guard n >= 0, let buffer else {
                if ferror(file) != 0 {
                    throw ImportProblem(file: path, line: lineNumber + 1, column: 1, reason: "read error")
                }
                return nil
            }
            lineNumber += 1
            offset += n
            let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
            var data = Data(bytes)
            while let last = data.last, last == 10 || last == 13 { data.removeLast() }
            if data.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            if lineNumber == 1, data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
            return item(from: data)
        }
    }

    private func item(from data: Data) -> SourceItem {
        let text = String(decoding: data, as: UTF8.self)
        guard String(data: data, encoding: .utf8) != nil else {
            return .problem(
                ImportProblem(file: path, line: lineNumber, column: 1, reason: "invalid UTF-8", recordText: text))
        }
        let original = [text]
        let dict: [String: JSONScalar]
        do {
            dict = try JSONDecoder().decode([String: JSONScalar].self, from: data)
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            return .problem(
                ImportProblem(
                    file: path, line: lineNumber, column: 1,
                    reason: "key '\(context.codingPath[0].stringValue)': expected a string, number, boolean or null",
                    original: original, recordText: text))
        } catch {
            return .problem(
                ImportProblem(
                    file: path, line: lineNumber, column: 1,
                    reason: "expected one JSON object per line (not valid JSON or not an object)", original: original,
                    recordText: text))
        }
        var cells: [SourceCell] = []
        for key in dict.keys.sorted() {
            let column: String
            switch CanonicalColumns.resolve(key, table: tables[0], known: known) {
            case .success(let c?): column = c
            case .success(nil): continue
            case .failure(let e):
                return .problem(
                    ImportProblem(
                        file: path, line: lineNumber, column: 1, reason: e.message, original: original, recordText: text
                    ))
            }
            let text = dict[key]!.text
            cells.append(SourceCell(column: column, text: text, line: lineNumber, columnNumber: 1))
        }
        return .row(
            SourceRow(
                table: tables[0], cells: cells, file: path, line: lineNumber, original: original, recordText: text))
    }

}

/// A JSON scalar as the text a CSV cell would hold; null is the empty cell.
struct JSONScalar: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            text = ""
            return
        }
        if let b = try? c.decode(Bool.self) {
            text = b ? "true" : "false"
            return
        }
        if let i = try? c.decode(Int64.self) {
            text = String(i)
            return
        }
        if let d = try? c.decode(Double.self) {
            text = String(d)
            return
        }
        text = try c.decode(String.self)
    }
}
