import Testing

@testable import FulcrumImport

@Suite struct AmountParserTests {
    let usd = AmountOptions(exponent: 2)

    @Test(
        arguments: [
            ("1,234.56", 123_456), ("$1,234.56", 123_456), ("€1.234,56", 123_456), ("1 234,56", 123_456),
            ("1\u{00A0}234,56", 123_456), ("1\u{202F}234,56", 123_456), ("(123.45)", -12_345), ("-123.45", -12_345),
            ("USD 12.00", 1200), ("12,00 EUR", 1200), ("12.5", 1250), ("12.50-", -1250),
            ("$-5", -500), ("-$5", -500), ("1'234.50", 123_450), ("1.234.567,89", 123_456_789),
            ("1,234,567", 123_456_700), (".5", 50), ("0", 0), ("1234567", 123_456_700),
        ] as [(String, Int64)])
    func usdAmounts(text: String, expected: Int64) {
        #expect(AmountParser.minorUnits(text, options: usd) == .success(expected))
    }

    @Test func explicitSeparators() {
        #expect(
            AmountParser.minorUnits("1.234,56", options: AmountOptions(exponent: 2, decimalSeparator: .comma))
                == .success(123_456))
        #expect(
            AmountParser.minorUnits("1,234", options: AmountOptions(exponent: 2, decimalSeparator: .dot))
                == .success(123_400))
        #expect(
            AmountParser.minorUnits("1,234", options: AmountOptions(exponent: 3, decimalSeparator: .comma))
                == .success(1234))
        #expect(
            AmountParser.minorUnits("1,234.5", options: AmountOptions(exponent: 2, decimalSeparator: .comma))
                == .failure(ValueError("not an amount: '1,234.5'")))
    }

    @Test func currencyExponents() {
        #expect(
            AmountParser.minorUnits("¥1,234", options: AmountOptions(exponent: 0, decimalSeparator: .dot))
                == .success(1234))
        #expect(AmountParser.minorUnits("1234", options: AmountOptions(exponent: 0)) == .success(1234))
        #expect(AmountParser.minorUnits("12.5", options: AmountOptions(exponent: 3)) == .success(12_500))
        #expect(AmountParser.minorUnits("0,125", options: AmountOptions(exponent: 3)) == .success(125))
        #expect(
            AmountParser.minorUnits("1.5", options: AmountOptions(exponent: 0))
                == .failure(ValueError("too many decimal places in '1.5': currency has 0; set a rounding mode")))
    }

    @Test func ambiguousSeparatorIsReported() {
        #expect(
            AmountParser.minorUnits("¥1,234", options: AmountOptions(exponent: 0))
                == .failure(
                    ValueError(
                        "ambiguous amount '¥1,234': ',' may be a decimal or thousands separator; set the decimal separator"
                    )))
        #expect(
            AmountParser.minorUnits("1.234", options: usd)
                == .failure(
                    ValueError(
                        "ambiguous amount '1.234': '.' may be a decimal or thousands separator; set the decimal separator"
                    )))
        #expect(
            AmountParser.minorUnits("12.345", options: usd)
                == .failure(
                    ValueError(
                        "ambiguous amount '12.345': '.' may be a decimal or thousands separator; set the decimal separator"
                    )))
    }

    @Test func tooManyDecimalsAndRounding() {
        let dot = AmountOptions(exponent: 2, decimalSeparator: .dot)
        #expect(
            AmountParser.minorUnits("12.345", options: dot)
                == .failure(ValueError("too many decimal places in '12.345': currency has 2; set a rounding mode")))
        #expect(AmountParser.minorUnits("12.340", options: dot) == .success(1234))
        #expect(
            AmountParser.minorUnits("12.3450", options: usd)
                == .failure(ValueError("too many decimal places in '12.3450': currency has 2; set a rounding mode")))
        let away = AmountOptions(exponent: 2, decimalSeparator: .dot, rounding: .halfAwayFromZero)
        let even = AmountOptions(exponent: 2, decimalSeparator: .dot, rounding: .halfEven)
        #expect(AmountParser.minorUnits("12.345", options: away) == .success(1235))
        #expect(AmountParser.minorUnits("-12.345", options: away) == .success(-1235))
        #expect(AmountParser.minorUnits("12.344", options: away) == .success(1234))
        #expect(AmountParser.minorUnits("12.345", options: even) == .success(1234))
        #expect(AmountParser.minorUnits("12.355", options: even) == .success(1236))
        #expect(AmountParser.minorUnits("12.3451", options: even) == .success(1235))
    }

    @Test func overflowIsAnError() {
        #expect(
            AmountParser.minorUnits("99999999999999999999", options: usd)
                == .failure(ValueError("amount out of range: '99999999999999999999'")))
        #expect(AmountParser.minorUnits("92233720368547758.07", options: usd) == .success(Int64.max))
        #expect(
            AmountParser.minorUnits("92233720368547758.08", options: usd)
                == .failure(ValueError("amount out of range: '92233720368547758.08'")))
    }

    @Test func minorUnitsInput() {
        let stripe = AmountOptions(exponent: 2, input: .minorUnits)
        #expect(AmountParser.minorUnits("1234", options: stripe) == .success(1234))
        #expect(AmountParser.minorUnits("-50", options: stripe) == .success(-50))
        #expect(
            AmountParser.minorUnits("12.34", options: stripe)
                == .failure(ValueError("not an amount in minor units: '12.34'")))
    }

    @Test func malformedAmounts() {
        #expect(AmountParser.minorUnits("", options: usd) == .failure(ValueError("empty amount")))
        #expect(AmountParser.minorUnits("abc", options: usd) == .failure(ValueError("not an amount: 'abc'")))
        #expect(
            AmountParser.minorUnits("1,23.45", options: usd)
                == .failure(ValueError("misplaced thousands separator in '1,23.45'")))
        #expect(AmountParser.minorUnits("1..5", options: usd) == .failure(ValueError("not an amount: '1..5'")))
        #expect(AmountParser.minorUnits("--5", options: usd) == .failure(ValueError("not an amount: '--5'")))
        #expect(
            AmountParser.minorUnits("EUR 12.00", options: AmountOptions(exponent: 2, currencyCode: "usd"))
                == .failure(ValueError("currency EUR in 'EUR 12.00' does not match expected USD")))
    }
}
