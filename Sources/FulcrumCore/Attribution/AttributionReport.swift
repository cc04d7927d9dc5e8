/// One touch of an account, as attribution reads it.
public struct AttributionTouch: Sendable, Hashable {
    public var accountId: Int64
    public var campaignId: Int64?
    public var channel: String
    public var at: Timestamp

    public init(accountId: Int64, campaignId: Int64?, channel: String, at: Timestamp) {
        self.accountId = accountId
        self.campaignId = campaignId
        self.channel = channel
        self.at = at
    }
}

/// `attribution`: pipeline, bookings or new MRR of the report's range credited to channels or campaigns
/// by every model, over the touches of all people of an account before each conversion
/// (docs/attribution.md has the rules and a worked example).
///
/// - A conversion is a deal created (pipeline: its amount), a deal won (bookings: its amount at the close
///   month's rate) or an account's first paid month (new MRR). Its journey is the account's touches after its
///   previous conversion of the same kind and strictly before this one (the deal's creation; the win's close
///   day; the first paid day).
/// - Journeys that never converted — the touches after an account's last conversion, ending in the range —
///   end in the Markov chain's null state; the rule-based models read only converted journeys.
/// - Credits of every model sum to the attributed total: the value of the range's conversions that have at
///   least one touch before them. Conversions without touches are counted in a note.
enum AttributionReport {
    enum Metric: String, CaseIterable {
        case pipeline, bookings
        case newMRR = "new-mrr"
    }

    static func report(_ context: MetricContext, _ query: ReportQuery, explain: Bool) throws -> ReportTable {
        let metric = Metric(rawValue: query.settings.attributionMetric) ?? .pipeline
        let byCampaign = query.by == .campaign
        let window = try UnitEconomicsReports.window(context, query)
        let first = window.lowerBound.firstDay
        let last = window.upperBound.lastDay
        // Conversions per surviving account: (instant day, value in minor units of the report currency).
        var conversions: [Int64: [(day: Day, value: Int64, record: String)]] = [:]
        switch metric {
        case .pipeline, .bookings:
            for o in context.inputs.opportunities {
                guard let raw = o.accountId else { continue }
                let account = context.resolver.resolve(raw)
                if metric == .bookings {
                    guard o.isWon, let closed = o.closedOn else { continue }
                    let value = try context.convert(o.amountMinor, currency: o.currency, month: closed.month)
                    conversions[account, default: []].append((closed, value, "opportunity:\(o.id)"))
                } else {
                    let value = try context.convert(o.amountMinor, currency: o.currency, month: o.createdOn.month)
                    conversions[account, default: []].append((o.createdOn, value, "opportunity:\(o.id)"))
                }
            }
        case .newMRR:
            var firstPaid: [Int64: Day] = [:]
            for p in context.inputs.firstPaidDays {
                let a = context.resolver.resolve(p.accountId)
                if firstPaid[a].map({ p.at.day < $0 }) ?? true { firstPaid[a] = p.at.day }
            }
            for m in context.ledger.movements where m.kind == .new {
                let day = firstPaid[m.accountId] ?? m.month.firstDay
                conversions[m.accountId, default: []].append((day, m.amountMinor, "account:\(m.accountId)"))
            }
        }
        // Touches per surviving account, in time order (merged duplicates pooled): the runs of each survivor's
        // raw accounts, in the order read; touch indices are gathered per account only while it is worked on.
        let touches = context.inputs.attributionTouches
        var runsOf: [Int64: [Int]] = [:]
        for (r, run) in touches.runs.enumerated() {
            runsOf[context.resolver.resolve(run.account), default: []].append(r)
        }
        var names: [String] = []
        var index: [String: Int] = [:]
        // Channel (or campaign) code of the touches → tally index, filled on first sight.
        var tallyIndexOfCode = [Int](repeating: -1, count: byCampaign ? touches.campaignCount : touches.channelCount)
        func channelIndex(_ t: Int) -> Int {
            let code = byCampaign ? touches.campaign(t) : touches.channel(t)
            if tallyIndexOfCode[code] >= 0 { return tallyIndexOfCode[code] }
            let key =
                byCampaign
                ? (touches.campaignId(code).map { context.campaignName($0) } ?? "(none)") : touches.channelName(code)
            let i: Int
            if let known = index[key] {
                i = known
            } else {
                i = names.count
                index[key] = i
                names.append(key)
            }
            tallyIndexOfCode[code] = i
            return i
        }
        var tally = AttributionTally(channels: [], halfLifeDays: query.settings.halfLifeDays)
        var withoutTouches = 0
        var valueWithoutTouches: Int64 = 0
        var path: [Int] = []
        var ages: [Double] = []
        var list: [Int] = []
        let accounts = Set(conversions.keys).union(runsOf.keys).sorted()
        for account in accounts {
            list.removeAll(keepingCapacity: true)
            for r in runsOf[account] ?? [] {
                list.append(contentsOf: (r == 0 ? 0 : touches.runs[r - 1].end)..<touches.runs[r].end)
            }
            if list.count > 1, !zip(list, list.dropFirst()).allSatisfy({ touches.at($0) <= touches.at($1) }) {
                list.sort { touches.at($0) < touches.at($1) }
            }
            let events = (conversions[account] ?? []).sorted { $0.day < $1.day }
            var cursor = 0
            for event in events {
                let start = cursor
                while cursor < list.count, touches.at(list[cursor]).day < event.day { cursor += 1 }
                guard event.day >= first, event.day <= last else { continue }
                if start == cursor {
                    withoutTouches += 1
                    valueWithoutTouches += event.value
                    continue
                }
                path.removeAll(keepingCapacity: true)
                ages.removeAll(keepingCapacity: true)
                for t in list[start..<cursor] {
                    path.append(channelIndex(t))
                    ages.append(Double(event.day.ordinal - touches.at(t).day.ordinal))
                }
                if names.count > tally.channels.count { tally.addChannels(names[tally.channels.count...]) }
                tally.explainRecord = explain ? event.record : nil
                tally.add(path: path, ages: ages, converted: true, value: Double(event.value))
            }
            // The touches after the last conversion: a journey that has not converted (yet), if it ends in range.
            if cursor < list.count, let end = list.last.map({ touches.at($0).day }), end >= first, end <= last {
                path.removeAll(keepingCapacity: true)
                for t in list[cursor...] { path.append(channelIndex(t)) }
                if names.count > tally.channels.count { tally.addChannels(names[tally.channels.count...]) }
                tally.add(path: path, converted: false, value: 0)
            }
        }
        let dimension = byCampaign ? "campaign" : "channel"
        let models: [Attribution.Model] =
            query.settings.attributionModel.flatMap { Attribution.Model(rawValue: $0) }.map { [$0] }
            ?? Attribution.Model.allCases
        var columns: [ReportTable.Column] = [.init(dimension, .text, key: true)]
        for m in models {
            columns.append(.init(m.rawValue.replacingOccurrences(of: "-", with: "_") + "_conversions", .number))
            columns.append(.init(m.rawValue.replacingOccurrences(of: "-", with: "_") + "_value", .money))
        }
        // New customers credited under one model give CAC and ROMI per channel (the documented option).
        let economics = metric == .newMRR && models.count == 1 && !context.inputs.spend.isEmpty
        if economics {
            columns += [
                .init("marketing_spend", .money), .init("cac_attributed", .money), .init("first_year_value", .money),
                .init("romi_attributed", .multiple),
            ]
        }
        var table = ReportTable(
            report: "attribution",
            title:
                "Attribution of \(metric.rawValue) to \(dimension)s, \(window.lowerBound.iso)…\(window.upperBound.iso)",
            currency: context.currency, columns: columns,
            settings: [
                .init(
                    "metric",
                    metric == .pipeline
                        ? "pipeline: deals created in the range, amount at the created month's rate"
                        : metric == .bookings
                            ? "bookings: deals won in the range, amount at the close month's rate"
                            : "new MRR: accounts' first paid month in the range, its MRR"),
                .init(
                    "journey",
                    "the account's touches (all its people, merged duplicates pooled) after its previous conversion and strictly before this one"
                ),
                .init(
                    "not converted",
                    "touches after an account's last conversion whose last touch falls in the range: the Markov chain's paths to null"
                ),
                .init(
                    "models",
                    "first, last, linear; position 40% first, 40% last, 20% between; time-decay 2^(−days before ÷ \(DecimalText.text(query.settings.halfLifeDays, places: 2, trim: true))); markov: removal effect ÷ Σ removal effects × total (exact absorbing-chain solution)"
                ),
                .init(
                    "totals",
                    "\(tally.convertedJourneys) conversions with touches, \(Format.money(Int64(tally.totalValue.rounded()), currency: context.currency)); every model's column sums to them"
                ),
            ])
        if withoutTouches > 0 {
            table.notes.append(
                "\(withoutTouches) conversions (\(Format.money(valueWithoutTouches, currency: context.currency))) had no touch before them: not attributable, not in the totals"
            )
        }
        let solution = models.contains(.markov) ? tally.chain.solve() : nil
        var spend: [String: Int64] = [:]
        var spendItems: [String: [Explanation.Item]] = [:]
        if economics {
            let entries = context.inputs.spend.filter { $0.team == .marketing && window.contains($0.month) }
            let allocation = try SpendAllocation(
                entries, by: byCampaign ? .campaign : .channel, context: context, explain: explain)
            spend = allocation.amounts
            spendItems = allocation.items
            // Channels with spend and no credited customer get a row too: their CAC is unknown, their ROMI −100%.
            if names.count > tally.channels.count { tally.addChannels(names[tally.channels.count...]) }
            let known = Set(tally.channels)
            let extra = spend.keys.filter { !known.contains($0) }.sorted()
            if !extra.isEmpty { tally.addChannels(extra) }
            table.settings += [
                .init(
                    "CAC and ROMI (attributed)",
                    "marketing spend in the window by \(dimension) (the cac report's allocation) ÷ the new customers credited to it under the \(models[0].rawValue) model; first-year value = 12 × credited new MRR; ROMI = (first-year value − spend) ÷ spend"
                )
            ]
        }
        let credited = models.map { tally.credits($0, solution: solution) }
        func economicsCells(spent: Int64?, conversions: Double, value: Double) -> [ReportTable.Cell] {
            guard economics else { return [] }
            let firstYear = value * 12
            guard let spent else { return [.blank, .blank, .number(firstYear.rounded()), .blank] }
            return [
                .money(spent), conversions > 0 ? .money(Int64((Double(spent) / conversions).rounded())) : .blank,
                .number(firstYear.rounded()), spent > 0 ? .ratio(firstYear - Double(spent), Double(spent)) : .blank,
            ]
        }
        /// With explain: per model, the journeys' shares (conversions) and credited values behind a channel's
        /// cells (all channels for the Total row); the Markov model's credit is a share of the totals by removal
        /// effect, so its cells list the converted journeys through the channel.
        func explanations(_ channels: [Int], spent: [Explanation.Item]?) -> [Explanation] {
            var out: [Explanation] = [.none]
            for model in models {
                if let m = AttributionTally.ruleModels.firstIndex(of: model) {
                    let credits =
                        tally.explained.isEmpty
                        ? []
                        : channels.flatMap {
                            $0 < tally.explained[m].count ? tally.explained[m][$0] : []
                        }
                    out.append(.sum(credits.map { .init($0.record, $0.share) }, money: false))
                    out.append(.sum(credits.map { .init($0.record, $0.value) }))
                } else {
                    let records = Array(
                        Set(channels.flatMap { $0 < tally.markovRecords.count ? tally.markovRecords[$0] : [] })
                    ).sorted()
                    out += [.from(records), .from(records)]
                }
            }
            guard economics, let spent else { return out }
            let first = out.count >= 3 ? (out[1], out[2]) : (Explanation.none, Explanation.none)
            let spentSum = Explanation.sum(spent)
            let firstYear = Explanation.sum(first.1.items.map { .init($0.record, ($0.amount ?? 0) * 12) })
            return out + [
                spentSum, .ratio(spentSum, over: first.0), firstYear,
                .ratio(.sum(firstYear.items + Explanation.negated(spent)), over: spentSum),
            ]
        }
        let order = tally.channels.indices.sorted { tally.channels[$0] < tally.channels[$1] }
        for i in order {
            var cells: [ReportTable.Cell] = [.text(tally.channels[i])]
            for c in credited {
                cells.append(.number(i < c.conversions.count ? c.conversions[i] : 0))
                cells.append(.number(i < c.values.count ? c.values[i].rounded() : 0))
            }
            let conversions = i < credited[0].conversions.count ? credited[0].conversions[i] : 0
            let value = i < credited[0].values.count ? credited[0].values[i] : 0
            cells += economicsCells(spent: spend[tally.channels[i]] ?? 0, conversions: conversions, value: value)
            table.rows.append(
                .init(cells, explain: explain ? explanations([i], spent: spendItems[tally.channels[i]] ?? []) : []))
        }
        var total: [ReportTable.Cell] = [.text("Total")]
        for c in credited {
            total.append(.number(c.conversions.reduce(0, +)))
            total.append(.number(c.values.reduce(0, +).rounded()))
        }
        total += economicsCells(
            spent: spend.values.reduce(0, +), conversions: credited[0].conversions.reduce(0, +),
            value: credited[0].values.reduce(0, +))
        table.rows.append(
            .init(
                total,
                explain: explain
                    ? explanations(Array(tally.channels.indices), spent: spendItems.values.flatMap { $0 }) : []))
        return table
    }
}
