/// One account's story: the company, its people and their marketing touches,
/// then the sales and revenue chapters in the other extensions.
extension DemoState {
    /// Per-account facts the later chapters need.
    struct AccountContext {
        var account: Account
        var segment: DemoSegment
        var rng: SeededRandom
        var currency: String
        var referred: Bool
        /// Churn risk multiplier, mean 1: drives churn, usage, tickets and NPS together.
        var risk: Double
        var primary: Person?
        /// The primary lead attended a webinar within 14 days of becoming known (planted effect).
        var primaryWebinar = false
        var contacts: [Int64] = []
    }

    mutating func generateAccount(index: Int, into batch: inout DemoBatch) {
        var rng = SeededRandom(seed: seed, stream: UInt64(index) + 1)
        let segment = DemoSegment.all[rng.weightedIndex(DemoSegment.all.map(\.accountShare))]
        var account = Account()
        account.id = id("accounts")
        let (name, words) = DemoNames.companyName(index: index, segment: segment.name)
        let legal = DemoNames.legal[rng.int(0...(DemoNames.legal.count - 1))]
        account.name = rng.chance(0.6) ? "\(name), \(legal)" : name
        account.domain = words.prefix(2).joined().lowercased() + DemoNames.tlds[index % DemoNames.tlds.count]
        if rng.chance(0.02) { account.domain = nil }  // messy: some CRM records lack a website
        account.segment = segment.name
        account.industry = rng.chance(0.05) ? nil : rng.pick(segment.industries)
        let country = ["US", "US", "US", "US", "US", "US", "GB", "DE", "FR", "NL", "JP", "CA", "AU"][rng.int(0...12)]
        account.country = country
        account.employees = max(2, Int(rng.logNormal(median: segment.employeesMedian, sigma: 1.0)))
        account.createdOn = DemoCalendar.drawCreationDay(&rng)
        let owners = salesReps[segment.name]!
        account.ownerRepId = owners[rng.int(0...(owners.count - 1))].id
        let currency: String =
            switch country {
            case "GB": "GBP"
            case "DE", "FR", "NL": "EUR"
            case "JP": "JPY"
            default: "USD"
            }

        var referred = false
        if customers.count > 10, rng.chance(0.06) {
            let referrer = customers[rng.int(0...(customers.count - 1))]
            if referrer.since < account.createdOn {
                referred = true
                var r = Referral()
                r.id = id("referrals")
                r.referrerAccountId = referrer.id
                r.accountId = account.id
                r.referredOn = account.createdOn
                batch.referrals.append(r)
            }
        }
        let baseRisk = rng.logNormal(median: 1, sigma: 0.6) / Math.exp(0.18)
        var ctx = AccountContext(
            account: account, segment: segment, rng: rng, currency: currency, referred: referred,
            risk: baseRisk * (referred ? DemoPlanted.referralChurnFactor : 1))

        // A subsidiary: a separate account under a parent, never to be merged with it.
        if segment.name == "Telecom", index > 0, ctx.rng.chance(0.05) {
            let parent = Int64(ctx.rng.int(1...Int(account.id - 1)))
            ctx.account.parentAccountId = parent
            ctx.account.name = name + " " + ["Europe", "Asia", "Wholesale", "Enterprise"][ctx.rng.int(0...3)]
            ctx.account.domain = ctx.account.domain.map { "sub-" + $0 }
            truth.subsidiaries.append((parent, account.id))
        }

        batch.accounts.append(ctx.account)
        truth.counts.accounts += 1
        let tier =
            (account.employees ?? 0) < 200 ? "SMB" : (account.employees ?? 0) < 2_000 ? "Mid-Market" : "Enterprise"
        let region =
            switch country {
            case "US", "CA": "NA"
            case "JP", "AU": "APAC"
            default: "EMEA"
            }
        // Every account has a customer-success manager, dealt in turn (no draw: the stream stays as it was).
        let csm = csmNames[Int(account.id) % csmNames.count]
        for (field, value) in [("tier", tier), ("region", region), ("csm", csm)] {
            var cf = CustomField()
            cf.entity = "accounts"
            cf.recordId = account.id
            cf.accountId = account.id
            cf.name = field
            cf.value = value
            batch.customFields.append(cf)
        }

        generatePeople(&ctx, into: &batch)
        generateSales(&ctx, into: &batch)
        rng = ctx.rng
    }

    /// People and their touches. The first person with a company address is the
    /// primary lead whose journey decides whether an opportunity follows.
    mutating func generatePeople(_ ctx: inout AccountContext, into batch: inout DemoBatch) {
        let count = 1 + ctx.rng.poisson(ctx.segment.extraPeopleMean)
        let channelWeights: [Double] =
            switch ctx.segment.name {
            case "Tech": [0.22, 0.2, 0.16, 0.04, 0.08, 0.12, 0.08, 0.03, 0.04, 0.03]
            case "Telecom": [0.10, 0.08, 0.05, 0.22, 0.10, 0.06, 0.07, 0.04, 0.20, 0.08]
            default: [0.15, 0.12, 0.10, 0.12, 0.14, 0.10, 0.08, 0.05, 0.08, 0.06]
            }
        let horizon = DemoCalendar.asOf
        for i in 0..<count {
            var p = Person()
            p.id = id("people")
            let given = ctx.rng.pick(DemoNames.givenNames)
            let family = ctx.rng.pick(DemoNames.familyNames)
            // Identity fields are gathered first and stored once (`Person.identity` is shared and immutable).
            var identity = PersonIdentity.Fields(firstName: given, lastName: family)
            identity.title = ctx.rng.chance(0.07) ? nil : ctx.rng.pick(DemoNames.titles)
            let offsetDays = i == 0 ? 0 : Int(ctx.rng.exponential(mean: 150))
            let created = min(ctx.account.createdOn + offsetDays, horizon)
            p.createdAt = Timestamp(
                day: created, hour: ctx.rng.int(7...19), minute: ctx.rng.int(0...59), second: ctx.rng.int(0...59))
            var channel = DemoState.channels[ctx.rng.weightedIndex(channelWeights)]
            if ctx.referred && i == 0 { channel = "Referral" }
            p.channel = channel
            p.leadSource = channel
            p.campaignId = campaignId(segment: ctx.segment.name, channel: channel, day: created)
            let freeMail = (i > 0 || ctx.segment.name == "Tech") && ctx.rng.chance(i == 0 ? 0.06 : 0.09)
            if freeMail {
                let domain = ctx.rng.pick(DemoNames.freeMailDomains)
                identity.email = "\(given.lowercased())\(family.lowercased())\(ctx.rng.int(1...999))@\(domain)"
                p.accountId = nil
                // Free-mail leads only say which company they are from, in their own spelling.
                identity.companyName = ctx.rng.chance(0.3) ? nil : messyVariant(of: ctx.account.name, rng: &ctx.rng)
                truth.freeMailPeople += 1
                truth.freeMailEmployers.append((p.id, ctx.account.id))
            } else if let domain = ctx.account.domain {
                var email = "\(given.lowercased()).\(family.lowercased())@\(domain)"
                if ctx.rng.chance(0.03) { email = email.uppercased() }
                identity.email = email
                p.accountId = ctx.account.id
                identity.companyName = ctx.account.name
            } else {
                p.accountId = ctx.account.id
                identity.companyName = ctx.account.name
            }
            p.identity = PersonIdentity(identity)
            if i > 0 || freeMail {
                if ctx.rng.chance(0.3) {
                    p.mqlAt = p.createdAt + Int64(ctx.rng.exponential(mean: 5 * 86_400))
                    p.status = ctx.rng.chance(0.5) ? "nurture" : "disqualified"
                } else {
                    p.status = ctx.rng.chance(0.2) ? "unresponsive" : "open"
                }
                if let mql = p.mqlAt, mql.day > horizon { p.mqlAt = nil }
                if let mql = p.mqlAt, let m = monthIndex(mql.day) { tallies[m].mqls += 1 }
            }
            if let i = monthIndex(created) {
                tallies[i].leads[ctx.segment.name, default: [:]][channel, default: 0] += 1
                tallies[i].newLeads += 1
            }
            truth.counts.people += 1
            generateTouches(for: p, ctx: &ctx, into: &batch)
            if ctx.primary == nil, !freeMail {
                ctx.primary = p  // appended by the sales chapter once its stage times are known
            } else {
                if p.accountId != nil { ctx.contacts.append(p.id) }
                batch.people.append(p)
            }
        }
    }

    /// Marketing touches around a person's creation: anonymous visits before,
    /// emails and events after. One in four primary leads attends a webinar.
    mutating func generateTouches(for person: Person, ctx: inout AccountContext, into batch: inout DemoBatch) {
        let n = ctx.rng.poisson(10.4)
        let kinds: [Touch.Kind] = [
            .visit, .emailOpen, .emailClick, .adClick, .contentDownload, .formFill, .webinar, .event,
        ]
        let weights = [0.40, 0.25, 0.08, 0.08, 0.07, 0.05, 0.035, 0.035]
        let createdDay = person.createdAt.day
        var touches: [Touch] = []
        touches.reserveCapacity(n + 2)
        func touch(_ kind: Touch.Kind, _ at: Timestamp) -> Touch {
            var t = Touch()
            t.accountId = person.accountId
            t.personId = person.id
            t.kind = kind
            t.channel =
                switch kind {
                case .emailOpen, .emailClick: "Email"
                case .adClick: person.channel == "Paid Social" ? "Paid Social" : "Paid Search"
                case .webinar: "Webinar"
                case .event: "Events"
                case .contentDownload: "Content"
                case .formFill, .visit: person.channel ?? "Organic Search"
                }
            t.occurredAt = at
            return t
        }
        // The conversion itself: the form fill that made the person known.
        touches.append(touch(.formFill, person.createdAt))
        for _ in 0..<n {
            let kind = kinds[ctx.rng.weightedIndex(weights)]
            let offset = kind == .visit || kind == .adClick ? ctx.rng.int(-30...120) : ctx.rng.int(0...240)
            let day = createdDay + offset
            guard day <= DemoCalendar.asOf, day >= DemoCalendar.start else { continue }
            touches.append(
                touch(
                    kind,
                    Timestamp(
                        day: day, hour: ctx.rng.int(0...23), minute: ctx.rng.int(0...59), second: ctx.rng.int(0...59))))
        }
        if ctx.primary == nil, person.accountId != nil, ctx.rng.chance(0.25) {
            let day = min(createdDay + ctx.rng.int(1...10), DemoCalendar.asOf)
            touches.append(touch(.webinar, Timestamp(day: day, hour: 16, minute: 0, second: 0)))
        }
        if ctx.primary == nil, person.accountId != nil {
            ctx.primaryWebinar = touches.contains { $0.kind == .webinar && $0.occurredAt.day <= createdDay + 14 }
        }
        for var t in touches {
            t.id = id("touches")
            t.campaignId = campaignId(segment: ctx.segment.name, channel: t.channel, day: t.occurredAt.day)
            batch.touches.append(t)
        }
        truth.counts.touches += touches.count
    }

    /// How a free-mail lead or a second rep spells a company: case, suffix and "The" vary.
    func messyVariant(of name: String, rng: inout SeededRandom) -> String {
        let base = name.split(separator: ",").first.map(String.init) ?? name
        switch rng.int(0...4) {
        case 0: return base.uppercased()
        case 1: return base + " Inc"
        case 2: return "The " + base
        case 3: return base.lowercased() + ", inc."
        default: return "  " + base + " "
        }
    }
}
