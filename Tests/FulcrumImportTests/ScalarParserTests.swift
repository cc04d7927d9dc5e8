import Foundation
import Testing

@testable import FulcrumImport

@Suite struct ScalarParserTests {
    @Test func booleans() {
        for t in ["true", "TRUE", " Yes ", "1", "yes"] { #expect(BoolParser.parse(t) == .success(true)) }
        for f in ["false", "False", "NO", "0"] { #expect(BoolParser.parse(f) == .success(false)) }
        #expect(BoolParser.parse("") == .failure(ValueError("not a boolean: '' (expected true/false, yes/no or 1/0)")))
        #expect(
            BoolParser.parse("y") == .failure(ValueError("not a boolean: 'y' (expected true/false, yes/no or 1/0)")))
    }

    @Test func integers() {
        #expect(IntegerParser.parse("42") == .success(42))
        #expect(IntegerParser.parse(" -7 ") == .success(-7))
        #expect(IntegerParser.parse("+3") == .success(3))
        #expect(IntegerParser.parse("-9223372036854775808") == .success(Int64.min))
        #expect(
            IntegerParser.parse("9223372036854775808")
                == .failure(ValueError("integer out of range: '9223372036854775808'")))
        #expect(IntegerParser.parse("1,000") == .failure(ValueError("not an integer: '1,000'")))
        #expect(IntegerParser.parse("") == .failure(ValueError("not an integer: ''")))
        #expect(IntegerParser.parse("-") == .failure(ValueError("not an integer: '-'")))
    }

    @Test func decimals() {
        #expect(DecimalParser.parse("-12.50") == .success(DecimalValue(significand: -1250, scale: 2)))
        #expect(DecimalParser.parse(".5") == .success(DecimalValue(significand: 5, scale: 1)))
        #expect(DecimalParser.parse("3.") == .success(DecimalValue(significand: 3, scale: 0)))
        #expect(DecimalParser.parse("3,25", decimalComma: true) == .success(DecimalValue(significand: 325, scale: 2)))
        #expect(DecimalParser.parse("3,25") == .failure(ValueError("not a decimal number: '3,25'")))
        #expect(DecimalParser.parse("1.2.3") == .failure(ValueError("not a decimal number: '1.2.3'")))
        #expect(DecimalParser.parse(".") == .failure(ValueError("not a decimal number: '.'")))
        #expect(DecimalParser.parse("1e5") == .failure(ValueError("not a decimal number: '1e5'")))
        #expect(
            DecimalParser.parse("12345678901234567890")
                == .failure(ValueError("decimal out of range: '12345678901234567890'")))
        #expect(DecimalParser.parse("-12.50").map(\.doubleValue) == .success(-12.5))
    }

    @Test("a decimal reads as the nearest double, the same as Double(text): an exported value comes back unchanged")
    func decimalsRoundTrip() throws {
        // The FX rate that came back as 0.009172999999999997 when the digits were divided by ten six times.
        #expect(try DecimalParser.parse("0.009173").get().doubleValue == 0.009173)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...17, using: &rng)
            let significand = Int64.random(in: 0..<Int64(pow(10, Double(digits))), using: &rng)
            let scale = Int.random(in: 0...digits, using: &rng)
            var text = String(significand)
            if text.count <= scale { text = String(repeating: "0", count: scale - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -scale))
            let parsed = try DecimalParser.parse(text).get().doubleValue
            #expect(parsed == Double(text)!, "\(text)")
            // Every double an export writes (Swift's shortest round-trip text) reads back as itself.
            let value = Double.random(in: 0.001..<1_000, using: &rng)  // no exponent in its text
            #expect(try DecimalParser.parse("\(value)").get().doubleValue == value, "\(value)")
        }
    }
}
