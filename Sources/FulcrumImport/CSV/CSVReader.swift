/// Streaming CSV reader: reads the input in chunks and yields one record per
/// `next()` call, so memory stays at about one chunk plus the longest record
/// whatever the file size.
///
/// Format rules (RFC 4180 plus common exports):
/// - Fields may be quoted; `""` inside quotes is one `"`; quoted fields may hold
///   the delimiter and CR, LF or CRLF newlines, which still advance line numbers.
/// - Records end at LF, CRLF or a lone CR; the last record may lack a newline.
/// - A leading UTF-8 BOM is removed.
/// - Completely empty lines (no bytes at all) are skipped anywhere, including
///   before the header. A line of spaces is not empty: it is a one-field record.
/// - Strict quoting: a `"` inside an unquoted field, or any character between a
///   closing quote and the next delimiter/newline, is an error. Spaces before an
///   opening quote therefore make it a stray quote.
/// - The first record is the header (see `CSVHeader`); every later record must
///   have exactly as many fields.
///
/// Errors: per-record problems (invalid UTF-8, ragged row) are thrown after the
/// record is consumed, so callers may log them and call `next()` again.
/// Quote problems (a stray quote, a quote that never closes) and an oversized
/// record are thrown after the physical line the bad record starts on has been
/// skipped: reading resumes at the next line, so one broken quote costs one line,
/// not the rest of the file. `badRecordText` holds the skipped line (or, for a
/// per-record problem, the record) for the reject file. Only I/O errors stop the
/// reader; later `next()` calls throw the same error.
public final class CSVReader {
    /// Reader settings; the defaults suit files of any size.
    public struct Options: Sendable {
        /// nil detects the delimiter from the header record.
        public var delimiter: CSVDelimiter?
        /// Header lookup (and the duplicate check) ignores case.
        public var caseInsensitiveHeaders: Bool
        /// Bytes per read; also the initial buffer size (at least 4 is used).
        public var chunkSize: Int
        /// A record longer than this is an error rather than unbounded buffering
        /// (usually it is a quote that never closes).
        public var maxRecordBytes: Int

        public init(
            delimiter: CSVDelimiter? = nil, caseInsensitiveHeaders: Bool = false,
            chunkSize: Int = 1 << 20, maxRecordBytes: Int = 64 << 20
        ) {
            self.delimiter = delimiter
            self.caseInsensitiveHeaders = caseInsensitiveHeaders
            self.chunkSize = chunkSize
            self.maxRecordBytes = maxRecordBytes
        }
    }

    /// Name used in error messages (the path for files).
    public let fileName: String
    /// The delimiter in use (given or detected).
    public private(set) var delimiter: CSVDelimiter = .comma
    /// The validated header row.
    public private(set) var header: CSVHeader

    private let options: Options
    private let source: ByteSource
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var line = 1
    private var bufferFileOffset = 0
    private var spans: [FieldSpan] = []
    private var unquoteScratch: [UInt8] = []
    private var terminalError: CSVError?
    /// The text of the record (or skipped line) behind the last error thrown, as it is in the file.
    public private(set) var badRecordText: String?
    /// At most this much of a skipped line is kept in `badRecordText` (a longer one ends in "…").
    public static let badRecordTextLimit = 1 << 20

    /// Opens `path` and reads the header.
    public convenience init(path: String, options: Options = Options()) throws(CSVError) {
        try self.init(source: FileByteSource(path: path), name: path, options: options)
    }

    /// Reads from memory (tests, small uploads) through the same chunked path as files.
    public convenience init(bytes: [UInt8], name: String = "<memory>", options: Options = Options()) throws(CSVError) {
        try self.init(source: MemoryByteSource(bytes: bytes), name: name, options: options)
    }

    /// Reads the UTF-8 bytes of `string`.
    public convenience init(string: String, name: String = "<memory>", options: Options = Options()) throws(CSVError) {
        try self.init(bytes: Array(string.utf8), name: name, options: options)
    }

    init(source: ByteSource, name: String, options: Options) throws(CSVError) {
        self.source = source
        self.fileName = name
        self.options = options
        self.header = CSVHeader.placeholder
        self.buffer = .allocate(capacity: max(options.chunkSize, 4))
        try refill()
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
        try skipBlankLines()
        guard start < end else {
            throw CSVError(
                code: .missingHeader, file: name, line: line, column: 1,
                message: "empty file: expected a header row")
        }
        if let given = options.delimiter {
            delimiter = given
        } else {
            while true {
                let found = CSVDelimiter.detect(in: UnsafeBufferPointer(rebasing: buffer[start..<end]), atEOF: atEOF)
                if let found {
                    delimiter = found
                    break
                }
                try refill()
            }
        }
        guard let headerRecord = try readRecord(expectedFields: nil) else {
            throw CSVError(
                code: .missingHeader, file: name, line: line, column: 1,
                message: "empty file: expected a header row")
        }
        header = try CSVHeader(record: headerRecord, caseInsensitive: options.caseInsensitiveHeaders, file: name)
    }

    deinit { buffer.deallocate() }

    /// The next data record, or nil at end of input.
    public func next() throws(CSVError) -> CSVRecord? {
        try readRecord(expectedFields: header.names.count)
    }

    /// An error for a bad value, positioned at the field's start.
    public func valueError(_ reason: String, record: CSVRecord, column: CSVColumn) -> CSVError {
        let pos = record.position(of: column)
        return CSVError(
            code: .invalidValue, file: fileName, line: pos.line, column: pos.column,
            message: "column '\(column.name)': \(reason)")
    }

    /// Parses one field, turning a parser's reason into a positioned `CSVError`.
    public func value<T>(
        _ record: CSVRecord, _ column: CSVColumn,
        _ parse: (String) -> Result<T, ValueError>
    ) throws(CSVError) -> T {
        switch parse(record[column]) {
        case .success(let v): return v
        case .failure(let e): throw valueError(e.message, record: record, column: column)
        }
    }

    private func readRecord(expectedFields: Int?) throws(CSVError) -> CSVRecord? {
        if let terminalError { throw terminalError }
        do {
            return try readRecordUnchecked(expectedFields: expectedFields)
        } catch {
            if error.code == .io { terminalError = error }
            throw error
        }
    }

    private func readRecordUnchecked(expectedFields: Int?) throws(CSVError) -> CSVRecord? {
        guard try scanNext() else { return nil }
        return try buildScanned(expectedFields: expectedFields)
    }

    /// Scans the next record into `spans` (no strings built); false at end of input.
    private func scanNext() throws(CSVError) -> Bool {
        try skipBlankLines()
        if start >= end { return false }
        while true {
            let view = UnsafeBufferPointer(rebasing: buffer[0..<end])
            let result = CSVScanner.scanRecord(
                view, start: start, line: line, delimiter: delimiter.rawValue,
                atEOF: atEOF, spans: &spans)
            switch result {
            case .needMore:
                do { try refill() } catch  where error.code == .recordTooLarge {
                    try skipBadLines(through: line)
                    throw error
                }
            case .failure(let code, let l, let c, let message):
                let error = CSVError(code: code, file: fileName, line: l, column: c, message: message)
                // Through the line the error is on: a quote left open is blamed (and stops) on the line it opened
                // on; a stray quote after properly closed multi-line fields ends the record on its own line, so the
                // lines inside those fields are never read as records of their own.
                try skipBadLines(through: max(l, line))
                throw error
            case .record(let next, let nextLine):
                scannedLine = line
                scannedOffset = bufferFileOffset + start
                start = next
                line = nextLine
                return true
            }
        }
    }

    /// The scanned record as a `CSVRecord`, with the same per-record errors as `next()`.
    private func buildScanned(expectedFields: Int?) throws(CSVError) -> CSVRecord {
        let view = UnsafeBufferPointer(rebasing: buffer[0..<end])
        do throws(CSVError) {
            if let expectedFields, spans.count != expectedFields {
                throw raggedError(view, expected: expectedFields, recordLine: scannedLine)
            }
            return try buildRecord(view, line: scannedLine, byteOffset: scannedOffset)
        } catch {
            badRecordText = scannedText()
            throw error
        }
    }

    /// The bytes of the record last scanned, as they are in the file (invalid UTF-8 shown as U+FFFD).
    private func scannedText() -> String {
        let from = scannedOffset - bufferFileOffset
        guard from >= 0, from <= start else { return "" }
        var to = start
        while to > from, buffer[to - 1] == ASCII.lf || buffer[to - 1] == ASCII.cr { to -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[from..<to]), as: UTF8.self)
    }

    /// Skips the physical lines from the one the failed record starts on through `last`, kept in
    /// `badRecordText` (at most `badRecordTextLimit` bytes), so that reading resumes on the next line. The bytes
    /// are consumed as they stream, so even a line longer than `maxRecordBytes` is skipped in bounded memory.
    private func skipBadLines(through last: Int) throws(CSVError) {
        var text: [UInt8] = []
        var truncated = false
        let firstLine = line
        repeat {
            if line > firstLine { text.append(ASCII.lf) }
            let more = try skipOneLine(into: &text, truncated: &truncated)
            line += 1
            if !more { break }
        } while line <= last
        badRecordText = String(decoding: text, as: UTF8.self) + (truncated ? "…" : "")
    }

    /// Consumes one physical line, its terminator included, appending its bytes to `text` within the limit;
    /// false when the input ended before a terminator.
    private func skipOneLine(into text: inout [UInt8], truncated: inout Bool) throws(CSVError) -> Bool {
        while true {
            var p = start
            while p < end && buffer[p] != ASCII.lf && buffer[p] != ASCII.cr { p += 1 }
            let take = min(p - start, max(0, Self.badRecordTextLimit - text.count))
            if take > 0 { text.append(contentsOf: buffer[start..<(start + take)]) }
            if p - start > take { truncated = true }
            start = p
            if p == end {
                if atEOF { return false }
                try refill()
                continue
            }
            if buffer[p] == ASCII.cr {
                if p + 1 >= end && !atEOF {
                    try refill()
                    continue
                }
                start = p + ((p + 1 < end && buffer[p + 1] == ASCII.lf) ? 2 : 1)
            } else {
                start = p + 1
            }
            return true
        }
    }

    // MARK: Raw records (bulk loads)

    private var scannedLine = 1
    private var scannedOffset = 0

    /// Moves to the next data record without building its strings; false at the end.
    /// Read its fields with `withRawField` (only while `rawFieldCount` matches the header and
    /// `rawFieldIsValidUTF8` holds; otherwise `buildCurrent()` reports the problem exactly as `next()` would).
    public func nextRaw() throws(CSVError) -> Bool {
        if let terminalError { throw terminalError }
        do {
            return try scanNext()
        } catch {
            if error.code == .io { terminalError = error }
            throw error
        }
    }

    /// Fields in the record `nextRaw()` moved to.
    public var rawFieldCount: Int { spans.count }
    /// Line where that record starts, and its byte offset in the file.
    public var rawLine: Int { scannedLine }
    public var rawByteOffset: Int { scannedOffset }

    /// The bytes of field `i` of the current raw record (quotes removed, doubled quotes collapsed —
    /// in place, so the pointer stays valid until the next `nextRaw()`). Not checked for UTF-8:
    /// see `rawFieldsAreValidUTF8`.
    public func rawField(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        if spans[i].hasDoubledQuotes {
            // The record was scanned; its raw bytes are not needed again (`buildCurrent` reads the collapsed span).
            var w = spans[i].start
            var r = w
            let end = spans[i].end
            while r < end {
                let b = buffer[r]
                buffer[w] = b
                w += 1
                r += (b == ASCII.quote) ? 2 : 1
            }
            spans[i].end = w
            spans[i].hasDoubledQuotes = false
        }
        return UnsafeBufferPointer(start: buffer.baseAddress! + spans[i].start, count: spans[i].end - spans[i].start)
    }

    /// Whether every field of the current raw record is valid UTF-8 (what `next()` requires).
    public func rawFieldsAreValidUTF8() -> Bool {
        let base = UnsafeBufferPointer(buffer)
        for span in spans {
            var high: UInt8 = 0
            for i in span.start..<span.end { high |= base[i] }
            if high >= 0x80,
                UTF8Check.firstInvalidOffset(UnsafeBufferPointer(rebasing: base[span.start..<span.end])) != nil
            {
                return false
            }
        }
        return true
    }

    /// The current raw record as `next()` would have returned it, or its per-record error (ragged, invalid UTF-8).
    public func buildCurrent() throws(CSVError) -> CSVRecord {
        try buildScanned(expectedFields: header.names.count)
    }

    /// Builds each field's `String` exactly once, validating UTF-8 as it goes.
    private func buildRecord(_ buf: UnsafeBufferPointer<UInt8>, line: Int, byteOffset: Int) throws(CSVError)
        -> CSVRecord
    {
        var fields: [String] = []
        fields.reserveCapacity(spans.count)
        var positions: [CSVPosition] = []
        positions.reserveCapacity(spans.count)
        for (i, span) in spans.enumerated() {
            let raw = UnsafeBufferPointer(rebasing: buf[span.start..<span.end])
            let text: String?
            if span.hasDoubledQuotes {
                collapseQuotes(raw)
                text = unquoteScratch.withUnsafeBufferPointer { Self.makeString($0) }
            } else {
                text = Self.makeString(raw)
            }
            guard let text else { throw invalidUTF8Error(raw, span: span, field: i + 1) }
            fields.append(text)
            positions.append(CSVPosition(line: span.line, column: span.column))
        }
        return CSVRecord(fields: fields, line: line, byteOffset: byteOffset, fieldPositions: positions)
    }

    /// `String(decoding:)` on a buffer is the standard library's fastest path;
    /// it is only safe (never repairs) when the bytes are ASCII, so other input
    /// goes through the validating initializer.
    @inline(__always)
    static func makeString(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var high: UInt8 = 0
        for b in raw { high |= b }
        return high < 0x80 ? String(decoding: raw, as: UTF8.self) : String(validating: raw, as: UTF8.self)
    }

    private func collapseQuotes(_ raw: UnsafeBufferPointer<UInt8>) {
        unquoteScratch.removeAll(keepingCapacity: true)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            unquoteScratch.append(b)
            i += (b == ASCII.quote) ? 2 : 1
        }
    }

    private func invalidUTF8Error(_ raw: UnsafeBufferPointer<UInt8>, span: FieldSpan, field: Int) -> CSVError {
        let bad = UTF8Check.firstInvalidOffset(raw) ?? 0
        let pos = Self.advance(from: contentPosition(span), over: UnsafeBufferPointer(rebasing: raw[0..<bad]))
        let hex = String(raw[bad], radix: 16, uppercase: true)
        return CSVError(
            code: .invalidUTF8, file: fileName, line: pos.line, column: pos.column,
            message: "invalid UTF-8 byte 0x\(hex.count == 1 ? "0" + hex : hex) in field \(field)")
    }

    private func raggedError(_ buf: UnsafeBufferPointer<UInt8>, expected: Int, recordLine: Int) -> CSVError {
        let found = spans.count
        let pos: CSVPosition
        if found > expected {
            pos = CSVPosition(line: spans[expected].line, column: spans[expected].column)
        } else {
            let last = spans[found - 1]
            let after = Self.advance(
                from: contentPosition(last),
                over: UnsafeBufferPointer(rebasing: buf[last.start..<last.end]))
            pos = CSVPosition(line: after.line, column: after.column + (last.quoted ? 1 : 0))
        }
        return CSVError(
            code: .raggedRow, file: fileName, line: pos.line, column: pos.column,
            message: "record at line \(recordLine) has \(found) fields, header has \(expected)")
    }

    private func contentPosition(_ span: FieldSpan) -> CSVPosition {
        CSVPosition(line: span.line, column: span.column + (span.quoted ? 1 : 0))
    }

    /// Position reached after `bytes`, counting CR, LF and CRLF as one line break.
    static func advance(from pos: CSVPosition, over bytes: UnsafeBufferPointer<UInt8>) -> CSVPosition {
        var line = pos.line
        var column = pos.column
        for (i, b) in bytes.enumerated() {
            if b == ASCII.lf || (b == ASCII.cr && !(i + 1 < bytes.count && bytes[i + 1] == ASCII.lf)) {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return CSVPosition(line: line, column: column)
    }

    private func skipBlankLines() throws(CSVError) {
        while true {
            if start >= end {
                if atEOF { return }
                try refill()
                continue
            }
            let view = UnsafeBufferPointer(rebasing: buffer[0..<end])
            guard let length = CSVScanner.blankLineLength(view, at: start, atEOF: atEOF) else {
                try refill()
                continue
            }
            if length == 0 { return }
            start += length
            line += 1
        }
    }

    /// Keeps unread bytes, then reads more. The buffer doubles only when the
    /// pending record fills over half of it, so rescanning a long record after
    /// each refill stays linear overall.
    private func refill() throws(CSVError) {
        if atEOF { return }
        let pending = end - start
        if pending > buffer.count / 2 {
            if pending >= options.maxRecordBytes {
                throw CSVError(
                    code: .recordTooLarge, file: fileName, line: line, column: 1,
                    message: "record starting here exceeds \(options.maxRecordBytes) bytes (unterminated quote?)")
            }
            let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            _ = bigger.initialize(fromContentsOf: buffer[start..<end])
            buffer.deallocate()
            buffer = bigger
        } else if start > 0 {
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            base.copyMemory(from: base + start, byteCount: pending)
        }
        bufferFileOffset += start
        start = 0
        end = pending
        while end < buffer.count {
            let n = try source.read(
                into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[end...])))
            if n == 0 {
                atEOF = true
                break
            }
            end += n
        }
    }
}
