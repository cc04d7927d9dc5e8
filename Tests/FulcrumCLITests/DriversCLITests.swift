import Foundation
import Testing

@Suite("fulcrum drivers: ranked effects of activities on each objective")
struct DriversCLITests {
    static var store: String { sharedDemoStore }

    @Test("JSON: three objectives; on the demo a demo leads the win drivers and fast answers the opportunity drivers")
    func json() throws {
        let result = try CLI.run(["drivers", "--store", Self.store, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let objectives = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(objectives.compactMap { $0["objective"] as? String } == ["opportunity", "win", "churn"])
        func top(_ id: String) -> [String: Any]? {
            (objectives.first { $0["objective"] as? String == id }?["drivers"] as? [[String: Any]])?.first
        }
        #expect(top("win")?["driver"] as? String == "demo")
        #expect(top("win")?["significant"] as? Bool == true)
        #expect(((top("win")?["effect"] as? NSNumber)?.doubleValue ?? 0) > 0.15)
        #expect(top("opportunity")?["driver"] as? String == "fast_response")
        for o in objectives {
            for d in o["drivers"] as? [[String: Any]] ?? [] {
                // Every interval holds its estimate.
                if let e = (d["effect"] as? NSNumber)?.doubleValue, let lo = (d["low"] as? NSNumber)?.doubleValue,
                    let hi = (d["high"] as? NSNumber)?.doubleValue
                {
                    #expect(lo <= e && e <= hi)
                }
            }
        }
    }

    @Test("table: one objective, its controls, the causal warning; an unknown objective is refused by name")
    func tableAndErrors() throws {
        let result = try CLI.run(["drivers", "--store", Self.store, "--objective", "win"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("win: win rate"))
        #expect(result.stdout.contains("controls: segment, size, month of year, year"))
        #expect(result.stdout.contains("note: Observational data"))
        #expect(!result.stdout.contains("churn:"))
        let bad = try CLI.run(["drivers", "--store", Self.store, "--objective", "revenue"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--objective: 'revenue' is not one of opportunity, win, churn"), "\(bad.stderr)")
    }
}
