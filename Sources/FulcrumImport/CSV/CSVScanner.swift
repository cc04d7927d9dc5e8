/// Byte range of one field in the reader's buffer, found by `CSVScanner`.
struct FieldSpan {
    /// First content byte (after an opening quote).
    var start: Int
    /// One past the last content byte (before a closing quote).
    var end: Int
    /// The field was quoted and contains doubled quotes that must be collapsed.
    var hasDoubledQuotes: Bool
    var quoted: Bool
    var line: Int
    var column: Int
}

/// Outcome of scanning one record from a buffer.
enum ScanResult {
    /// A complete record; `next` is the index after its terminator and
    /// `nextLine` the line the following record starts on.
    case record(next: Int, nextLine: Int)
    /// The buffer ends inside the record; refill and scan again from the record start.
    case needMore
    /// A structural error: the stream cannot be parsed past this point.
    case failure(code: CSVError.Code, line: Int, column: Int, message: String)
}

/// RFC 4180 record scanner over raw bytes. It only finds field boundaries;
/// strings are built afterwards, once per field, so the hot loop never touches
/// `String` or `Character`.
///
/// Records always start at a line start, so columns are `index - lineStart + 1`.
enum CSVScanner {
    /// Scans one record starting at `start` (which must not be at a blank line).
    /// `atEOF` says no bytes follow `buf`; without it, anything that depends on
    /// a byte past the end (even a lone CR that might be CRLF) asks for more.
    static func scanRecord(
        _ buf: UnsafeBufferPointer<UInt8>,
        start: Int,
        line startLine: Int,
        delimiter: UInt8,
        atEOF: Bool,
        spans: inout [FieldSpan]
    ) -> ScanResult {
        spans.removeAll(keepingCapacity: true)
        let n = buf.count
        var p = start
        var line = startLine
        var lineStart = start

        while true {
            let fieldLine = line
            let fieldColumn = p - lineStart + 1
            if p < n && buf[p] == ASCII.quote {
                p += 1
                let contentStart = p
                var doubled = false
                while true {
                    while p < n {
                        let b = buf[p]
                        if b == ASCII.quote || b == ASCII.lf || b == ASCII.cr { break }
                        p += 1
                    }
                    if p >= n {
                        if !atEOF { return .needMore }
                        return .failure(
                            code: .unterminatedQuote, line: fieldLine, column: fieldColumn,
                            message:
                                "unterminated quoted field (quote opened at line \(fieldLine), column \(fieldColumn))")
                    }
                    let b = buf[p]
                    if b == ASCII.quote {
                        if p + 1 >= n && !atEOF { return .needMore }
                        if p + 1 < n && buf[p + 1] == ASCII.quote {
                            doubled = true
                            p += 2
                            continue
                        }
                        break
                    }
                    // A newline inside quotes: part of the value, but still a new physical line.
                    if b == ASCII.cr {
                        if p + 1 >= n && !atEOF { return .needMore }
                        p += (p + 1 < n && buf[p + 1] == ASCII.lf) ? 2 : 1
                    } else {
                        p += 1
                    }
                    line += 1
                    lineStart = p
                }
                spans.append(
                    FieldSpan(
                        start: contentStart, end: p, hasDoubledQuotes: doubled, quoted: true,
                        line: fieldLine, column: fieldColumn))
                p += 1
                if p >= n {
                    if !atEOF { return .needMore }
                    return .record(next: p, nextLine: line + 1)
                }
                let c = buf[p]
                if c == delimiter {
                    p += 1
                    continue
                }
                if let r = endOfLine(buf, at: p, line: line, atEOF: atEOF) { return r }
                if line != fieldLine {
                    // A quote that spans lines and then closes wrongly is almost always one left open where it
                    // started (the "closing" quote is the next field's opening one): blame the line it opened on.
                    return .failure(
                        code: .unterminatedQuote, line: fieldLine, column: fieldColumn,
                        message: "quote opened here is not closed on this line: the quoted field runs on to line "
                            + "\(line), where the quote that ends it is followed by an unexpected character at "
                            + "column \(p - lineStart + 1) (a quote left open here?)")
                }
                return .failure(
                    code: .strayQuote, line: line, column: p - lineStart + 1,
                    message:
                        "unexpected character after closing quote (quoted fields must end at a delimiter or line end)")
            } else {
                let contentStart = p
                while p < n {
                    let b = buf[p]
                    if b == delimiter || b == ASCII.lf || b == ASCII.cr || b == ASCII.quote { break }
                    p += 1
                }
                if p >= n {
                    if !atEOF { return .needMore }
                    spans.append(
                        FieldSpan(
                            start: contentStart, end: p, hasDoubledQuotes: false, quoted: false,
                            line: fieldLine, column: fieldColumn))
                    return .record(next: p, nextLine: line + 1)
                }
                let b = buf[p]
                if b == ASCII.quote {
                    return .failure(
                        code: .strayQuote, line: line, column: p - lineStart + 1,
                        message: "quote inside an unquoted field (quote the whole field and double inner quotes)")
                }
                spans.append(
                    FieldSpan(
                        start: contentStart, end: p, hasDoubledQuotes: false, quoted: false,
                        line: fieldLine, column: fieldColumn))
                if b == delimiter {
                    p += 1
                    continue
                }
                if let r = endOfLine(buf, at: p, line: line, atEOF: atEOF) { return r }
            }
        }
    }

    /// If `buf[p]` is a record terminator (LF, CR or CRLF), the finished record.
    @inline(__always)
    private static func endOfLine(_ buf: UnsafeBufferPointer<UInt8>, at p: Int, line: Int, atEOF: Bool) -> ScanResult? {
        let c = buf[p]
        if c == ASCII.lf { return .record(next: p + 1, nextLine: line + 1) }
        if c == ASCII.cr {
            if p + 1 >= buf.count {
                return atEOF ? .record(next: p + 1, nextLine: line + 1) : .needMore
            }
            return .record(next: buf[p + 1] == ASCII.lf ? p + 2 : p + 1, nextLine: line + 1)
        }
        return nil
    }

    /// Length of the blank line at `p` (CR, LF or CRLF), 0 if `p` does not start
    /// one, or nil if a lone CR ends the buffer and more input might follow.
    static func blankLineLength(_ buf: UnsafeBufferPointer<UInt8>, at p: Int, atEOF: Bool) -> Int? {
        let b = buf[p]
        if b == ASCII.lf { return 1 }
        guard b == ASCII.cr else { return 0 }
        if p + 1 >= buf.count { return atEOF ? 1 : nil }
        return buf[p + 1] == ASCII.lf ? 2 : 1
    }
}
