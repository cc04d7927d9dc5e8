/// FX rates for the ledger's months, laid out for fast lookup by currency index.
///
/// The ledger touches a rate for every account-month, so rates are resolved
/// once per currency into an array instead of hashing (month, currency) each time.
struct RateResolver {
    let reportingCurrency: String
    /// Month of slot 0; slot k is `base + k`.
    let base: Month
    let slots: Int
    let fx: FXTable
    private(set) var codes: [String] = []
    private var indexByCode: [String: Int] = [:]
    /// `scales[c * slots + k]`: minor units of reporting currency per minor unit of currency c in slot k; NaN when missing.
    private var scales: [Double] = []
    private var reporting: [Bool] = []

    init(fx: FXTable, reportingCurrency: String, base: Month, slots: Int) {
        self.fx = fx
        self.reportingCurrency = reportingCurrency.uppercased()
        self.base = base
        self.slots = slots
    }

    /// Index of `code`, registering its rates on first sight.
    mutating func index(of code: String) -> Int {
        if let i = indexByCode[code] { return i }
        let i = codes.count
        codes.append(code)
        indexByCode[code] = i
        let isReportingCurrency = code == reportingCurrency
        reporting.append(isReportingCurrency)
        scales.append(
            contentsOf: (0..<slots).map { k in
                if isReportingCurrency { return 1 }
                guard let rate = fx.rate(month: base.adding(k), currency: code) else { return .nan }
                return Currency.minorScale(rate: rate, from: code, to: reportingCurrency)
            })
        return i
    }

    /// Whether currency `c` is the reporting currency (converting it is the identity).
    @inline(__always)
    func isReporting(_ c: Int) -> Bool { reporting[c] }

    /// Converts `amount` minor units of currency `c` at slot `k`'s rate, rounding half away from zero.
    ///
    /// A zero amount never needs a rate, so a currency only has to be in the FX
    /// table for the months in which it actually carries revenue.
    @inline(__always)
    func convert(_ amount: Int64, currency c: Int, slot k: Int) throws(RevenueError) -> Int64 {
        if amount == 0 || reporting[c] { return amount }
        let scale = scales[c * slots + k]
        guard !scale.isNaN else { throw .missingFXRate(month: base.adding(k), currency: codes[c]) }
        return roundMinor(Double(amount) * scale)
    }
}
