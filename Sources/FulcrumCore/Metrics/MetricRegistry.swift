/// Every metric Fulcrum computes, defined once. `fulcrum metrics` prints this list; each
/// metric names the report whose columns carry it, and docs/metrics.md gives a worked example.
public enum MetricRegistry {
    static let account = ["period", "segment", "plan", "channel", "rep", "cohort", "custom:NAME"]
    static let spendDims = ["period", "segment", "channel", "campaign"]
    /// Account dimensions plus `campaign`, the acquisition dimension (new customers, funnel).
    static let acquisition = account + ["campaign"]
    static let funnel = ["period", "segment", "plan", "channel", "campaign", "rep", "custom:NAME"]
    static let lead = ["period"] + MetricContext.leadDimensions
    static let marketing = ["period"] + MarketingReport.dimensions
    static let dealDims = DealFacts.dimensions

    static func m(
        _ id: String, _ name: String, _ definition: String, _ formula: String, _ unit: MetricUnit, _ tier: MetricTier,
        _ dims: [String], _ report: String
    ) -> MetricDefinition {
        MetricDefinition(
            id: id, name: name, definition: definition, formula: formula, unit: unit, tier: tier, dimensions: dims,
            report: report)
    }

    public static let all: [MetricDefinition] = [
        // Revenue
        m(
            "mrr", "Monthly recurring revenue",
            "Recurring revenue in force at the end of the month's last day, normalized to one month, trials excluded.",
            "Σ accounts' month-end MRR", .money, .businessGoal, account, "mrr"),
        m(
            "arr", "Annual recurring revenue", "MRR expressed per year.", "12 × MRR", .money, .businessGoal, account,
            "mrr"),
        m(
            "new-mrr", "New MRR", "MRR of accounts paying for the first time ever.",
            "Σ MRR of accounts whose first MRR > 0 month is this month",
            .money, .teamObjective, account, "mrr-movements"),
        m(
            "expansion-mrr", "Expansion MRR",
            "MRR added by customers who already paid last month (upgrades, seats, second subscriptions, discount expiry).",
            "Σ (MRR − last month's MRR) where both > 0 and MRR went up", .money, .teamObjective, account,
            "mrr-movements"),
        m(
            "contraction-mrr", "Contraction MRR",
            "MRR lost by customers who still pay (downgrades, cancelling one of two subscriptions); negative.",
            "Σ (MRR − last month's MRR) where both > 0 and MRR went down", .money, .teamObjective, account,
            "mrr-movements"),
        m(
            "churned-mrr", "Churned MRR", "Last month's MRR of customers who pay nothing this month; negative.",
            "−Σ last month's MRR where this month's is 0", .money, .teamObjective, account, "mrr-movements"),
        m(
            "reactivation-mrr", "Reactivation MRR", "MRR of returning customers who had paid before and then stopped.",
            "Σ MRR where last month's is 0 and some earlier month's > 0", .money, .teamObjective, account,
            "mrr-movements"),
        m(
            "net-new-mrr", "Net new MRR", "The month's MRR change without FX.",
            "new + expansion + contraction + churn + reactivation",
            .money, .businessGoal, account, "mrr"),
        m(
            "customers", "Customers", "Accounts with MRR > 0 at the end of the period, merged duplicates once.",
            "count(accounts with MRR > 0)",
            .count, .businessGoal, acquisition, "customers"),
        m(
            "new-customers", "New customers", "Accounts in their first ever paying month, self-serve included.",
            "count(new movements)",
            .count, .teamObjective, acquisition, "customers"),
        m(
            "arpa", "Average revenue per account", "MRR per paying account.", "MRR ÷ customers", .money, .teamObjective,
            account, "mrr"),
        m(
            "logo-churn", "Logo churn rate", "Share of the period's opening customers that stopped paying in it.",
            "churned accounts ÷ customers at the start", .percent, .teamObjective, account, "churn"),
        m(
            "gross-mrr-churn", "Gross MRR churn rate", "MRR lost to churn and contraction, as a share of opening MRR.",
            "−(churn + contraction) ÷ opening MRR", .percent, .teamObjective, account, "churn"),
        m(
            "net-mrr-churn", "Net MRR churn rate",
            "MRR lost net of expansion and reactivation; negative when the base grows on its own.",
            "(−(churn + contraction) − expansion − reactivation) ÷ opening MRR", .percent, .teamObjective, account,
            "churn"),
        m(
            "quick-ratio", "SaaS quick ratio", "MRR gained for every unit lost.",
            "(new + expansion + reactivation) ÷ |churn + contraction|",
            .multiple, .businessGoal, account, "churn"),
        m(
            "grr", "Gross revenue retention (TTM)",
            "Of the MRR customers paid twelve months ago, the share they still pay, expansion excluded.",
            "Σ min(MRR now, MRR then) ÷ Σ MRR then, over customers twelve months ago", .percent, .businessGoal, account,
            "retention"),
        m(
            "nrr", "Net revenue retention (TTM)",
            "What customers of twelve months ago pay now, expansion included, as a share of what they paid.",
            "Σ MRR now ÷ Σ MRR then, over customers twelve months ago", .percent, .businessGoal, account, "retention"),
        m(
            "logo-retention-cohort", "Logo retention by cohort",
            "Share of a start period's new customers still paying k periods later.",
            "paying accounts at end of period k ÷ cohort size", .percent, .teamObjective, account, "cohorts-logo"),
        m(
            "revenue-retention-cohort", "Revenue retention by cohort",
            "A start period's cohort MRR k periods later as a share of its first-month MRR.",
            "cohort MRR at end of period k ÷ cohort MRR in its first paid month", .percent, .teamObjective, account,
            "cohorts-revenue"),
        // Unit economics
        m(
            "cac-simple", "CAC (simple)", "Marketing cost of acquiring one new customer (seed 002: TMC / CA).",
            "marketing spend ÷ new customers", .money, .teamObjective, spendDims, "cac"),
        m(
            "cac-fully-loaded", "CAC (fully loaded)",
            "All sales and marketing cost (media, wages, tools, services, overhead) per new customer; customer success excluded.",
            "(marketing + sales spend) ÷ new customers", .money, .businessGoal, spendDims, "cac"),
        m(
            "acv", "Annual contract value", "Average first-year value of a new customer.",
            "12 × average first-month MRR of new customers",
            .money, .teamObjective, spendDims, "unit-economics"),
        m(
            "acv-cac", "ACV / CAC", "How many times a year's contract repays its acquisition cost.",
            "ACV ÷ CAC (fully loaded)",
            .multiple, .businessGoal, spendDims, "unit-economics"),
        m(
            "ltv-simple", "LTV (simple)",
            "Gross profit a customer brings over an average lifetime (gross margin stands in for seed 002's net profit).",
            "ARPA × gross margin ÷ monthly logo churn", .money, .businessGoal, spendDims, "unit-economics"),
        m(
            "ltv-sbg", "LTV (sBG model)",
            "Discounted gross profit of a new customer under a shifted-beta-geometric retention model fitted to the slice.",
            "ARPA × gross margin × DEL(d), DEL = ₂F₁(1, β; α+β; 1/(1+d))", .money, .businessGoal, spendDims,
            "unit-economics"),
        m(
            "ltv-cac", "LTV / CAC", "Lifetime gross profit per unit of acquisition cost.",
            "LTV (simple) ÷ CAC (fully loaded)",
            .multiple, .businessGoal, spendDims, "unit-economics"),
        m(
            "cac-payback", "CAC payback",
            "Months of a new customer's gross profit needed to repay its acquisition cost.",
            "CAC (fully loaded) ÷ (average first-month MRR × gross margin)", .months, .teamObjective, spendDims,
            "unit-economics"),
        m(
            "magic-number", "SaaS magic number",
            "ARR added per unit of sales and marketing spend of the period before (FX changes are not growth).",
            "net new MRR × 12 ÷ previous period's marketing + sales spend", .multiple, .businessGoal, ["period"],
            "growth"),
        m(
            "mrr-growth", "MRR growth rate", "Change of MRR over the period, and over a year.",
            "MRR ÷ MRR at previous period end − 1",
            .percent, .businessGoal, ["period"], "growth"),
        m(
            "bookings", "Bookings", "Value of won opportunities (new, upsell, renewal) by close date.",
            "Σ won opportunity amounts",
            .money, .teamObjective, ["period"], "growth"),
        m(
            "bookings-growth", "Bookings growth",
            "Bookings compared with the previous period and with the same period a year before.",
            "bookings ÷ earlier bookings − 1", .percent, .businessGoal, ["period"], "growth"),
        m(
            "account-ltv", "Account LTV",
            "One account's gross profit on the revenue it has paid (payments less refunds) plus its expected residual value from its segment's sBG model.",
            "gross margin × (revenue collected to date + MRR × DERL(d | n))", .money, .businessGoal,
            ["segment", "rep"], "accounts-ltv"),
        m(
            "account-ltv-cac", "Account LTV / CAC",
            "An account's LTV over the fully loaded CAC of its segment in its acquisition year.",
            "account LTV ÷ segment CAC", .multiple, .teamObjective, ["segment", "rep"], "accounts-ltv"),
        // Segment economics (seed 001)
        m(
            "leads", "Leads", "People created in the period.", "count(people created)", .count, .teamObjective,
            ["segment", "campaign"], "segment-economics"),
        m(
            "cost-per-lead", "Cost per lead", "Marketing spend per lead.", "marketing spend ÷ leads", .money,
            .teamObjective, ["segment", "campaign"], "segment-economics"),
        m(
            "lead-to-opportunity", "Lead → opportunity rate", "Share of leads that reached the opportunity stage.",
            "leads with an opportunity ÷ leads", .percent, .teamObjective, ["segment", "campaign"], "segment-economics"),
        m(
            "win-rate", "Opportunity → won rate", "Share of closed new-business opportunities that were won.",
            "won ÷ closed",
            .percent, .teamObjective, funnel, "velocity"),
        m(
            "asp", "Average selling price", "Average value of a won new-business deal.", "bookings ÷ deals", .money,
            .teamObjective, ["segment", "campaign"], "segment-economics"),
        m(
            "deals", "Deals won", "Won new-business opportunities closed in the period.",
            "count(won new opportunities)",
            .count, .individualActivity, funnel, "velocity"),
        // Velocity (seed 004)
        m(
            "sales-cycle", "Sales cycle", "Average days from opportunity creation to close, won deals.",
            "mean(closed − created)",
            .days, .teamObjective, funnel, "velocity"),
        m(
            "revenue-velocity", "Revenue velocity",
            "The speed at which prospects convert into cash (seed 004), in money per day.",
            "opportunities × win rate × average deal ÷ cycle days", .moneyPerDay, .businessGoal,
            funnel, "velocity"),
        m(
            "revenue-acceleration", "Revenue acceleration",
            "The change of revenue velocity from the previous period; positive when faster.",
            "velocity − previous velocity", .moneyPerDay, .businessGoal, funnel, "velocity"),
        m(
            "touch-to-payment", "First touch to first payment",
            "Days from an account's first marketing touch to its first payment.",
            "mean(first payment − first touch)", .days, .teamObjective, funnel, "velocity"),
        m(
            "opportunities-closed", "Opportunities closed",
            "New-business opportunities closed (won or lost) in the period — the activity velocity starts from.",
            "count(closed new opportunities)", .count, .individualActivity, funnel, "velocity"),
        // Trials and self-serve
        m(
            "trial-mrr", "Trial MRR",
            "What subscriptions in trial at period end would add to MRR if paying; never part of MRR.",
            "Σ would-be MRR of subscriptions in trial", .money, .teamObjective, ["period"], "trials"),
        m(
            "trial-to-paid", "Trial-to-paid conversion",
            "Share of trials ending in the period whose subscription kept running into paid service.",
            "converted trials ÷ trials ended", .percent, .teamObjective, account, "trials"),
        m(
            "self-serve-customers", "Self-serve customers",
            "Paying accounts that bought with no salesperson (no subscription from an opportunity).",
            "count(customers with no opportunity-linked subscription)", .count, .teamObjective, account, "trials"),
        // Lifecycle and funnel (seed 002; docs/lifecycle.md)
        m(
            "accounts-by-stage", "Accounts by lifecycle stage",
            "Accounts in each stage at the period's end (lead … opportunity before paying; customer, expanding, at risk, reactivated, churned after), and the flow between stages.",
            "count(accounts whose stage at the period's end is S)", .count, .teamObjective, acquisition, "lifecycle"),
        m(
            "funnel-conversion", "Funnel conversion",
            "Share of leads reaching a stage that reach the next one (cohort view) or next-stage events ÷ this-stage events (period view); a skipped stage counts as reached.",
            "reached(next) ÷ reached(stage)", .percent, .teamObjective, lead, "funnel"),
        m(
            "time-in-stage", "Time in stage", "Days from reaching one funnel stage to reaching the next (median, p90).",
            "median(reached(next) − reached(stage))", .days, .teamObjective, lead, "funnel"),
        m(
            "leads-to-close-ratio", "Leads-to-close ratio",
            "Seed 002: closed sales in a period divided by the leads of the same period, × 100.",
            "won new-business deals closed ÷ leads created × 100", .percent, .businessGoal, lead, "funnel"),
        m(
            "cohort-lead-to-customer", "Lead-to-customer rate (cohort)",
            "Share of the leads created in a period that have become customers by now.",
            "leads of the cohort that reached customer ÷ cohort leads", .percent, .teamObjective, lead, "funnel"),
        m(
            "new-leads", "New leads", "People created in the period, free-mail leads included.",
            "count(people created)", .count, .teamObjective, lead, "leads"),
        m(
            "mqls", "Marketing-qualified leads",
            "People reaching MQL in the period (source instant, else the configured rule).",
            "count(MQL reached in period)", .count, .teamObjective, lead, "leads"),
        m(
            "sqls", "Sales-qualified leads", "People reaching SQL in the period.", "count(SQL reached in period)",
            .count, .teamObjective, lead, "leads"),
        m(
            "avg-lead-score", "Average lead score", "Mean lead score of the period's new leads that have one.",
            "mean(lead_score)", .count, .teamObjective, lead, "leads"),
        m(
            "marketing-cycle", "Marketing cycle", "Median days from a lead's creation to its opportunity.",
            "median(opportunity − created)", .days, .teamObjective, lead, "leads"),
        m(
            "lead-aging", "Open lead aging",
            "Open leads at the period's end by age: 0–7, 8–30, 31–90, 91–180, >180 days.",
            "count(open leads by days since creation)", .count, .individualActivity, lead, "leads"),
        m(
            "lead-response-time", "Lead response time",
            "Minutes from a lead's creation to the first human sales activity with it (automated sends never count).",
            "median(first human activity − created)", .count, .individualActivity, lead, "lead-response"),
        m(
            "response-sla-compliance", "Response SLA compliance",
            "Share of leads answered within the marketing→sales SLA, of those whose SLA has come due.",
            "answered within SLA ÷ leads due", .percent, .individualActivity, lead, "lead-response"),
        m(
            "email-response-rate", "Email response rate", "Email clicks per email open.", "clicks ÷ opens",
            .percent, .teamObjective, marketing, "marketing"),
        m(
            "content-downloads", "Content downloads", "Touches of kind content_download.", "count(downloads)",
            .count, .individualActivity, marketing, "marketing"),
        m(
            "social-visits", "Social visits and leads", "Visits and new leads from social channels.",
            "count(visits), count(leads) with a social channel", .count, .teamObjective, marketing, "marketing"),
        m(
            "pipeline-created", "Pipeline created", "Value of new-business opportunities created in the period.",
            "Σ amount of new opportunities created", .money, .teamObjective, dealDims + ["period"], "sales"),
        m(
            "pipeline-contribution", "Pipeline contribution",
            "Each channel's or lead source's share of the pipeline created in the period.",
            "pipeline created by slice ÷ all pipeline created", .percent, .teamObjective, marketing, "marketing"),
        m(
            "marketing-spend-per-customer", "Marketing spend per customer", "Marketing spend per new customer.",
            "marketing spend ÷ new customers", .money, .teamObjective, marketing, "marketing"),
        m(
            "romi", "Return on marketing investment",
            "First-year value of the period's new customers, less marketing spend, per unit of spend.",
            "(12 × new MRR − marketing spend) ÷ marketing spend", .multiple, .businessGoal, marketing, "marketing"),
        m(
            "lead-value", "Lead value", "What a lead is worth: lead → customer rate × average first-year value.",
            "lead-to-customer rate × mean(12 × new MRR)", .money, .teamObjective, marketing, "marketing"),
        // Sales KPIs
        m(
            "bookings-by-type", "Bookings by type", "Won amounts by close date: new business, upsell, renewal.",
            "Σ won amount per type", .money, .businessGoal, dealDims + ["period"], "sales"),
        m(
            "open-pipeline", "Open pipeline", "Deals open at the period's end with their value and age, by stage.",
            "count and Σ amount of open deals", .money, .teamObjective, dealDims + ["period"], "pipeline"),
        m(
            "slipping-deals", "Slipping deals", "Open deals whose expected close date has passed.",
            "count(open deals with closed_on < period end)", .count, .individualActivity, dealDims + ["period"],
            "sales"),
        // Targets and scorecards
        m(
            "target-attainment", "Target attainment",
            "Actual against every target row (company, team, segment, rep), with the gap.", "actual ÷ target",
            .percent, .teamObjective, ["period"], "targets"),
        m(
            "quota-attainment", "Quota attainment", "A rep's bookings against quota, ranked within the team.",
            "bookings ÷ quota", .percent, .individualActivity, ["period"], "rep-scorecard"),
        m(
            "rep-activities", "Rep activities", "Calls, emails, meetings and demos a rep held; leads worked.",
            "count(human activities by kind)", .count, .individualActivity, ["period"], "rep-scorecard"),
        m(
            "renewal-rate", "Renewal rate", "Renewal opportunities won of those closed, per account manager.",
            "won renewals ÷ closed renewals", .percent, .teamObjective, ["period"], "am-scorecard"),
        m(
            "book-nrr", "Book NRR and GRR", "Trailing-twelve-month retention of one manager's book of accounts.",
            "MRR now ÷ MRR twelve months before", .percent, .teamObjective, ["period"], "am-scorecard"),
        m(
            "ticket-response", "Ticket first response and resolution",
            "Hours from a ticket's opening to support's first reply and to its close (median, p90).",
            "median(first_response_at − opened_at)", .count, .individualActivity, ["period"], "cs-scorecard"),
        m(
            "nps", "Net promoter score", "% promoters (9–10) − % detractors (0–6), with detractor follow-up.",
            "100 × (promoters − detractors) ÷ answers", .count, .teamObjective, ["period"], "cs-scorecard"),
        // Attribution (docs/attribution.md)
        m(
            "attributed-value", "Attributed value",
            "Pipeline, bookings or new MRR of the range credited to each channel or campaign by a model over the account's touches before each conversion.",
            "Σ over converted journeys of value × the model's share of the channel's touches", .money,
            .teamObjective, ["channel", "campaign"], "attribution"),
        m(
            "markov-removal-effect", "Markov removal effect",
            "How much the chance of converting falls when a channel is removed from the first-order journey chain; credits are these effects normalized.",
            "1 − P(conversion without the channel) ÷ P(conversion)", .percent, .teamObjective,
            ["channel", "campaign"], "attribution"),
    ]

    public static func metric(_ id: String) -> MetricDefinition? { all.first { $0.id == id } }
}
