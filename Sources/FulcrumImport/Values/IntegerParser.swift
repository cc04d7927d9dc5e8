/// Whole numbers: optional sign and ASCII digits only, surrounding spaces
/// ignored. Grouping separators are rejected so an amount column mapped here
/// by mistake fails loudly.
public enum IntegerParser {
    public static func parse(_ text: String) -> Result<Int64, ValueError> {
        let b = ByteText.trimmed(text)
        var body = b[...]
        var negative = false
        if let first = body.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy(ByteText.isDigit) else {
            return .failure(ValueError("not an integer: '\(text)'"))
        }
        return signedValue(body, negative: negative).map { .success($0) }
            ?? .failure(ValueError("integer out of range: '\(text)'"))
    }

    /// Digits as a signed value, allowing `Int64.min`.
    static func signedValue(_ digits: ArraySlice<UInt8>, negative: Bool) -> Int64? {
        var v: Int64 = 0
        for c in digits {
            let d = Int64(c - 0x30)
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = a
        }
        return v
    }
}
