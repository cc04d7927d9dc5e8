/// Turns a chosen allocation into monthly target rows that `report targets` compares with actuals:
/// per segment leads, opportunities, new bookings, MRR at month end and monthly logo churn; the
/// same for the company; leads for each marketing team; opportunities and new bookings for each
/// sales team tied to a segment; MRR and churn for each customer-success team. MRR follows
/// `PlanProjection` from the baseline.
public enum PlanTargets {
    public static func rows(
        units: [PlanUnit], baseline: [String: PlanBaseline], start: Month, months: Int, teams: [Team]
    ) -> [Target] {
        let projection = units.map { u in
            PlanProjection.project(units: [u], baseline: baseline, months: months)
        }
        var rows: [Target] = []
        func add(_ month: Month, _ scope: Target.Scope, _ key: String, _ metric: String, _ value: Double) {
            var t = Target()
            t.month = month
            t.scope = scope
            t.scopeKey = key
            t.metric = metric
            t.value = metric == "churn_rate" ? (value * 1_000_000).rounded() / 1_000_000 : (value * 100).rounded() / 100
            rows.append(t)
        }
        let segments = units.reduce(into: [String]()) { if !$0.contains($1.segment) { $0.append($1.segment) } }
        for m in 0..<months {
            let month = start.adding(m)
            var company = PlanOutcome()
            var companyMRR = 0.0
            var churned = 0.0
            var opening = 0.0
            for segment in segments {
                var o = PlanOutcome()
                var mrr = 0.0
                var segChurned = 0.0
                var segOpening = 0.0
                for (i, u) in units.enumerated() where u.segment == segment {
                    o = o + u.outcome(marketing: u.marketingSpend)
                    mrr += projection[i].points[m].mrr
                    let before =
                        m == 0 ? Double(baseline[segment]?.customers ?? 0) : projection[i].points[m - 1].customers
                    let rate = 1 - Math.pow(1 - u.annualChurn, 1.0 / 12)
                    segChurned += before * rate
                    segOpening += before
                }
                company = company + o
                companyMRR += mrr
                churned += segChurned
                opening += segOpening
                add(month, .segment, segment, "leads", o.leads)
                add(month, .segment, segment, "opportunities", o.opportunities)
                add(month, .segment, segment, "new_bookings", o.bookings)
                add(month, .segment, segment, "mrr", mrr)
                if segOpening > 0 { add(month, .segment, segment, "churn_rate", segChurned / segOpening) }
                for team in teams where team.function == .sales && team.segment == segment {
                    add(month, .team, team.name, "opportunities", o.opportunities)
                    add(month, .team, team.name, "new_bookings", o.bookings)
                }
            }
            add(month, .company, "company", "leads", company.leads)
            add(month, .company, "company", "opportunities", company.opportunities)
            add(month, .company, "company", "new_bookings", company.bookings)
            add(month, .company, "company", "mrr", companyMRR)
            if opening > 0 { add(month, .company, "company", "churn_rate", churned / opening) }
            for team in teams where team.function == .marketing { add(month, .team, team.name, "leads", company.leads) }
            for team in teams where team.function == .cs {
                add(month, .team, team.name, "mrr", companyMRR)
                if opening > 0 { add(month, .team, team.name, "churn_rate", churned / opening) }
            }
        }
        return rows
    }
}
