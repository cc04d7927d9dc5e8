import Foundation
import Testing

@testable import FulcrumCore

@Suite("Attribution: every model on a path set worked by hand; Markov against NumPy")
struct AttributionTests {
    // Channels A = 0, B = 1, C = 2. Journeys (docs/attribution.md):
    //   J1 A → B, converted, 100 (A seven days before, B on the day)
    //   J2 A, not converted
    //   J3 B, converted, 50
    //   J4 C → A → B, converted, 30
    static func tally() -> AttributionTally {
        var t = AttributionTally(channels: ["A", "B", "C"])
        t.add(path: [0, 1], ages: [7, 0], converted: true, value: 100)
        t.add(path: [0], ages: [0], converted: false, value: 0)
        t.add(path: [1], ages: [0], converted: true, value: 50)
        t.add(path: [2, 0, 1], ages: [14, 7, 0], converted: true, value: 30)
        return t
    }

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-9) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test("first, last, linear and position-based (40/20/40) by hand")
    func ruleBased() {
        let t = Self.tally()
        #expect(Self.close(t.credits(.first).values, [100, 50, 30]))
        #expect(Self.close(t.credits(.last).values, [0, 180, 0]))
        #expect(Self.close(t.credits(.linear).values, [60, 110, 10]))
        #expect(Self.close(t.credits(.position).values, [56, 112, 12]))
        #expect(Self.close(t.credits(.first).conversions, [1, 1, 1]))
        let third: Double = 1.0 / 3
        let linear: [Double] = [0.5 + third, 1.5 + third, third]
        #expect(Self.close(t.credits(.linear).conversions, linear))
    }

    @Test("time-decay with a known half-life: a touch one half-life older counts half")
    func timeDecay() {
        #expect(Self.close(Attribution.shares(.timeDecay, count: 2, ages: [7, 0]), [1.0 / 3, 2.0 / 3]))
        #expect(
            Self.close(Attribution.shares(.timeDecay, count: 2, ages: [14, 0], halfLifeDays: 14), [1.0 / 3, 2.0 / 3]))
        // J1: 1/3 and 2/3 of 100; J3: all 50 to B; J4 ages 14, 7, 0 → weights 1/4, 1/2, 1 of 1.75.
        let t = Self.tally()
        let j4 = [0.25, 0.5, 1].map { $0 / 1.75 * 30 }
        let decay: [Double] = [100.0 / 3 + j4[1], 200.0 / 3 + 50 + j4[2], j4[0]]
        #expect(Self.close(t.credits(.timeDecay).values, decay))
    }

    @Test("Markov: P(conversion) 3/4; removal effects A 2/3, B 1, C 2/9; credits 6/17, 9/17, 2/17 of 180")
    func markovByHand() {
        let t = Self.tally()
        let s = t.chain.solve()
        #expect(abs(s.conversionProbability - 0.75) < 1e-12)
        let effects: [Double] = [2.0 / 3, 1, 2.0 / 9]
        #expect(Self.close(s.removalEffects, effects, 1e-12))
        let values: [Double] = [6, 9, 2].map { 180 * $0 / 17 }
        let conversions: [Double] = [18, 27, 6].map { $0 / 17 }
        #expect(Self.close(t.credits(.markov).values, values))
        #expect(Self.close(t.credits(.markov).conversions, conversions))
    }

    @Test("every model's credit sums to the attributed total")
    func creditsSum() {
        let t = Self.tally()
        for model in Attribution.Model.allCases {
            let c = t.credits(model)
            #expect(abs(c.values.reduce(0, +) - 180) < 1e-9, "\(model)")
            #expect(abs(c.conversions.reduce(0, +) - 3) < 1e-9, "\(model)")
        }
    }

    @Test("a chain that grows as channels appear counts the same as one built with all of them")
    func growth() {
        var grown = MarkovChain(channels: 1)
        grown.add(path: [0], converted: true)
        grown.grow(to: 3)
        grown.add(path: [2, 0, 1], converted: true)
        grown.add(path: [1, 1], converted: false)
        var whole = MarkovChain(channels: 3)
        whole.add(path: [0], converted: true)
        whole.add(path: [2, 0, 1], converted: true)
        whole.add(path: [1, 1], converted: false)
        #expect(grown.counts == whole.counts)
    }

    @Test(
        "Markov removal effects equal NumPy's re-solve per removed channel (fixture from scripts/crosscheck_markov.py)")
    func markovAgainstNumPy() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/markov_crosscheck.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let n = try #require(json["channels"] as? Int)
        let paths = try #require(json["paths"] as? [[Int]])
        let converted = try #require(json["converted"] as? [Int])
        let expected = try #require(json["removal_effects"] as? [Double])
        var chain = MarkovChain(channels: n)
        for (path, c) in zip(paths, converted) { chain.add(path: path, converted: c == 1) }
        let s = chain.solve()
        #expect(abs(s.conversionProbability - (json["conversion_probability"] as? Double ?? -1)) < 1e-12)
        #expect(Self.close(s.removalEffects, expected, 1e-9), "\(s.removalEffects) vs \(expected)")
    }
}

@Suite("The attribution report over a store's deals and touches, by hand")
struct AttributionReportTests {
    static func day(_ iso: String) -> Day { Day(iso: iso)! }

    /// Account 1: touches A (03-01), B (03-08), deal of $100 created 03-10; then C (04-01) and a $60 deal on 05-01.
    /// Account 2: one touch A (04-01), no deal (a journey to null). Account 3: a $50 deal with no touch before it.
    static func context() throws -> MetricContext {
        var inputs = MetricInputs(dataThrough: day("2024-06-30"))
        for id in Int64(1)...3 {
            var a = Account()
            a.id = id
            a.name = "Account \(id)"
            a.createdOn = day("2024-01-01")
            inputs.accounts.append(a)
        }
        func deal(_ id: Int64, _ account: Int64, _ created: String, _ amount: Int64) -> Opportunity {
            var o = Opportunity()
            o.id = id
            o.accountId = account
            o.createdOn = day(created)
            o.amountMinor = amount
            return o
        }
        inputs.opportunities = [
            deal(1, 1, "2024-03-10", 10_000), deal(2, 1, "2024-05-01", 6_000), deal(3, 3, "2024-04-15", 5_000),
        ]
        func touch(_ account: Int64, _ channel: String, _ on: String) -> AttributionTouch {
            AttributionTouch(accountId: account, campaignId: nil, channel: channel, at: Timestamp(day: day(on)))
        }
        inputs.attributionTouches = [
            touch(1, "A", "2024-03-01"), touch(1, "B", "2024-03-08"), touch(1, "C", "2024-04-01"),
            touch(2, "A", "2024-04-01"),
        ]
        return try MetricContext(inputs: inputs)
    }

    @Test("touches kept in columns read back as they went in, with one run per account")
    func touchColumns() {
        let touches: [AttributionTouch] = [
            .init(accountId: 7, campaignId: 3, channel: "Paid Search", at: Timestamp(seconds: 100)),
            .init(accountId: 7, campaignId: nil, channel: "Events", at: Timestamp(seconds: 50)),
            .init(accountId: 2, campaignId: 3, channel: "Paid Search", at: Timestamp(seconds: 70)),
            .init(
                accountId: 7, campaignId: 9, channel: "a channel name longer than fifteen", at: Timestamp(seconds: 1)),
        ]
        let columns = AttributionTouches(touches)
        #expect(Array(columns) == touches)
        #expect(columns.runs.map(\.account) == [7, 2, 7] && columns.runs.map(\.end) == [2, 3, 4])
        #expect(columns.channelCount == 3 && columns.campaignCount == 3)  // "no campaign" is code 0
        #expect(columns.channel(0) == columns.channel(2) && columns.campaignId(columns.campaign(1)) == nil)
        // A person whose identity fields were set and cleared is the same as one never given any.
        var person = Person()
        person.email = "a@b.example"
        person.email = nil
        #expect(person == Person() && person.identity == nil)
    }

    @Test("a merged duplicate's touches join the survivor's journey in time order, whatever order they come in")
    func mergedTouchesPooled() throws {
        let pooled = try Self.context()
        // The same touches, account 1's split over a duplicate (4, merged into 1) and given out of order.
        var inputs = pooled.inputs
        var duplicate = Account()
        duplicate.id = 4
        duplicate.name = "Account 1 (dup)"
        duplicate.createdOn = Self.day("2024-01-01")
        duplicate.mergedInto = 1
        inputs.accounts.append(duplicate)
        func touch(_ account: Int64, _ channel: String, _ on: String) -> AttributionTouch {
            AttributionTouch(accountId: account, campaignId: nil, channel: channel, at: Timestamp(day: Self.day(on)))
        }
        inputs.attributionTouches = [
            touch(4, "C", "2024-04-01"), touch(2, "A", "2024-04-01"), touch(1, "A", "2024-03-01"),
            touch(4, "B", "2024-03-08"),
        ]
        var query = ReportQuery(report: "attribution")
        query.from = Month(iso: "2024-01")
        query.to = Month(iso: "2024-06")
        let expected = try ReportCatalog.run(query, context: pooled)
        let split = try ReportCatalog.run(query, context: try MetricContext(inputs: inputs))
        #expect(split.rows.map(\.cells) == expected.rows.map(\.cells))
        #expect(expected.rows.count == 4)  // A, B, C and the total
    }

    @Test("journeys split at each deal; first, last, linear and Markov credits; a deal without touches noted")
    func pipeline() throws {
        var query = ReportQuery(report: "attribution")
        query.from = Month(iso: "2024-01")
        query.to = Month(iso: "2024-06")
        let table = try ReportCatalog.run(query, context: try Self.context())
        func value(_ channel: String, _ column: String) -> Double? {
            table.cell(column, channel)?.doubleValue.map { $0 / 100 }
        }
        #expect(value("A", "first_value") == 100)
        #expect(value("C", "first_value") == 60)
        #expect(value("B", "last_value") == 100)
        #expect(value("A", "linear_value") == 50)
        #expect(value("C", "linear_value") == 60)
        // Markov: start→A 2, start→C 1, A→B 1, A→null 1, B→conv 1, C→conv 1: P = 2/3, each removal effect 1/2.
        for c in ["A", "B", "C"] {
            #expect(abs((value(c, "markov_value") ?? 0) - 160.0 / 3) < 0.01, "\(c)")
        }
        #expect(value("Total", "markov_value") == 160)
        #expect(table.notes.contains { $0.contains("1 conversions ($50) had no touch") }, "\(table.notes)")
    }

    @Test("new MRR credited under one model gives CAC and ROMI per channel: spend ÷ credited customers, by hand")
    func attributedEconomics() throws {
        // Account 1 pays $100 a month from 2024-03-15 after touches A and B; account 2 pays $50 from 2024-05-01
        // after touch A. Linear: A 0.5 + 1 = 1.5 customers and $100 MRR, B 0.5 and $50. Spend: A $300, B $100, C $50.
        var inputs = MetricInputs(dataThrough: Self.day("2024-06-30"))
        for id in Int64(1)...2 {
            var a = Account()
            a.id = id
            a.name = "Account \(id)"
            a.createdOn = Self.day("2024-01-01")
            inputs.accounts.append(a)
        }
        func subscription(_ account: Int64, _ start: String, _ amount: Int64) -> Subscription {
            var s = Subscription()
            s.id = account
            s.accountId = account
            s.plan = "Core"
            s.product = "Core"
            s.amountMinor = amount
            s.startedOn = Self.day(start)
            return s
        }
        inputs.subscriptions = [subscription(1, "2024-03-15", 10_000), subscription(2, "2024-05-01", 5_000)]
        inputs.firstPaidDays = [
            AccountInstant(accountId: 1, at: Timestamp(day: Self.day("2024-03-15"))),
            AccountInstant(accountId: 2, at: Timestamp(day: Self.day("2024-05-01"))),
        ]
        func touch(_ account: Int64, _ channel: String, _ on: String) -> AttributionTouch {
            AttributionTouch(accountId: account, campaignId: nil, channel: channel, at: Timestamp(day: Self.day(on)))
        }
        inputs.attributionTouches = [
            touch(1, "A", "2024-03-01"), touch(1, "B", "2024-03-08"), touch(2, "A", "2024-04-01"),
        ]
        for (id, channel, amount) in [(Int64(1), "A", Int64(30_000)), (2, "B", 10_000), (3, "C", 5_000)] {
            var e = SpendEntry()
            e.id = id
            e.month = Month(2024, 3)
            e.channel = channel
            e.amountMinor = amount
            inputs.spend.append(e)
        }
        var query = ReportQuery(report: "attribution")
        query.from = Month(iso: "2024-01")
        query.to = Month(iso: "2024-06")
        query.settings.attributionMetric = "new-mrr"
        query.settings.attributionModel = "linear"
        let table = try ReportCatalog.run(query, context: try MetricContext(inputs: inputs))
        func value(_ channel: String, _ column: String) -> Double? { table.cell(column, channel)?.doubleValue }
        #expect(value("A", "linear_conversions") == 1.5)
        #expect(value("A", "marketing_spend") == 30_000)
        #expect(value("A", "cac_attributed") == 20_000)
        #expect(value("B", "cac_attributed") == 20_000)
        #expect(value("A", "first_year_value") == 120_000)
        #expect(abs((value("A", "romi_attributed") ?? 0) - 3) < 1e-12)
        // C has spend and no credited customer: CAC unknown (blank), ROMI −100%.
        #expect(value("C", "cac_attributed") == nil)
        #expect(value("C", "romi_attributed") == -1)
        #expect(value("Total", "cac_attributed") == 22_500)
        #expect(abs((value("Total", "romi_attributed") ?? 0) - 3) < 1e-12)
        #expect(table.settings.contains { $0.name == "CAC and ROMI (attributed)" })
    }
}
