import FulcrumCore
import FulcrumImport
import GRDB

/// Turns a cell's text into the value its column stores, or says why not.
/// Empty text is NULL. Dates follow `DateParser` (ISO 8601 and the usual export
/// forms, read in the import's time zone); days are stored `YYYY-MM-DD`,
/// instants `YYYY-MM-DDTHH:MM:SSZ` in UTC, months `YYYY-MM`.
struct ValueConverter {
    var dates: DateParseOptions

    /// The value to bind, `.null` for an empty cell.
    func convert(
        _ rawText: String, kind: TableSpec.Kind, column: TableSpec.Column, hint: CellHint = .none,
        currency: String? = nil, isCurrency: Bool? = nil
    ) -> Result<DatabaseValue, ValueError> {
        let isCurrency = isCurrency ?? column.isCurrency
        let text = Self.unguarded(rawText)
        if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return .success(.null) }
        var dates = self.dates
        if hint == .epochSeconds || hint == .epochMilliseconds, text.trimmingSpaces.allSatisfy(\.isNumber) {
            dates.epoch = hint == .epochSeconds ? .seconds : .milliseconds
        }
        if kind == .integer, hint.isMajorUnits {
            let code = (currency ?? "USD").trimmingSpaces.uppercased()
            guard case .majorUnitsTimes(let quantity) = hint else {
                return AmountParser.minorUnits(text, options: AmountOptions(exponent: Currency.exponent(of: code))).map(
                    \.databaseValue)
            }
            let minor = AmountParser.minorUnits(
                text, options: AmountOptions(exponent: Currency.exponent(of: code), decimalSeparator: .dot))
            return minor.flatMap { amount in
                let (product, overflow) = amount.multipliedReportingOverflow(by: quantity)
                return overflow ? .failure(ValueError("amount × quantity overflows")) : .success(product.databaseValue)
            }
        }
        let result: Result<DatabaseValue, ValueError>
        switch kind {
        case .text, .reference:
            result = .success(text.databaseValue)
        case .integer:
            result = IntegerParser.parse(text).map(\.databaseValue)
        case .real:
            result = DecimalParser.parse(text).map { $0.doubleValue.databaseValue }
        case .bool:
            result = BoolParser.parse(text).map { ($0 ? 1 : 0).databaseValue }
        case .day:
            result = DateParser.days(text, options: dates).map { Day(ordinal: $0).iso.databaseValue }
        case .instant:
            result = DateParser.timestamp(text, options: dates).map { Timestamp(seconds: $0).iso.databaseValue }
        case .month:
            if let m = Month(iso: text.trimmingSpaces) {
                result = .success(m.iso.databaseValue)
            } else {
                result = .failure(ValueError("not a month (expected YYYY-MM): '\(text)'"))
            }
        }
        guard case .success(let value) = result else { return result }
        if isCurrency {
            let code = text.trimmingSpaces
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                return .failure(ValueError("not an ISO 4217 currency code (three capital letters): '\(text)'"))
            }
        }
        if let allowed = column.allowed, case .string(let s) = value.storage, !allowed.contains(s) {
            return .failure(ValueError("'\(s)' is not one of \(allowed.joined(separator: ", "))"))
        }
        return .success(value)
    }

    /// Undoes the export's formula guard: `'=SUM(1)` was written for `=SUM(1)`.
    static func unguarded(_ text: String) -> String {
        guard text.utf8.count >= 2, text.utf8.first == UInt8(ascii: "'") else { return text }
        let second = text.utf8.dropFirst().first!
        return [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@")].contains(second)
            ? String(text.dropFirst()) : text
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
