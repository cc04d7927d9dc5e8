import FulcrumCore
import FulcrumService

/// Predictions: the models the store keeps and how well they test, what each rep should do first, the
/// customer buckets that really differ and the motivational indicators per lifecycle stage — the
/// tables of `fulcrum model list`, `fulcrum next-steps`, `fulcrum model buckets` and `fulcrum model indicators`.
enum PredictionsPage: DashboardPage {
    static let path = "/predictions"
    static let title = "Predictions"
    static let navLabel: String? = "Predictions"
    static let summary =
        "Predictions: stored models and their test measures, next steps, customer buckets, motivational indicators."
    static var usesFilters: Bool { false }
    /// Rows of the next-steps list shown (the API and CSV carry all of them).
    static let nextStepsShown = 25

    static func body(_ page: PageRequest) async throws -> String {
        let engine = page.engine
        let models = try await engine.predictionTable("models")
        let steps = try await engine.predictionTable("next-steps")
        let buckets = try await engine.predictionTable("buckets")
        let indicators = try await engine.predictionTable("indicators")
        var out = "<h1>Predictions <span class=\"sub\">models, next steps, buckets and indicators</span></h1>"
        out +=
            "<p class=\"lead\">Models are trained from this store with <code>fulcrum model train churn|expansion|conversion|win|trial</code> and validated out of time; a probability is an association learned from the past, not a cause. Method: docs/prediction.md.</p>"
        out += "<section class=\"card\"><h2>Models</h2>"
        out += Pages.table(models, caption: "Models kept in the store, measured on their test rows", name: "models")
        out += Pages.settings(models) + downloads("models") + "</section>"

        out += "<section class=\"card\"><h2>Next steps</h2>"
        if steps.rows.isEmpty {
            out +=
                "<p class=\"note\">Nothing to list: train the churn, conversion or trial model (<code>fulcrum model train churn</code>) to see customers at risk, leads ready to buy and trials by expected value.</p>"
        } else {
            let shown = Array(steps.rows.prefix(nextStepsShown))
            out += Pages.table(
                steps, rows: shown, columns: steps.columns.map(\.name).filter { $0 != "account_id" },
                caption: "The \(shown.count) largest of \(steps.rows.count) by expected value", name: "next-steps",
                link: { row in
                    guard let i = steps.columnIndex("account_id"), case .text(let id) = row.cells[i] else {
                        return nil
                    }
                    return "/accounts/\(id)"
                })
        }
        out += Pages.settings(steps) + downloads("next-steps") + "</section>"

        out += "<section class=\"card\"><h2>Customer buckets</h2>"
        out +=
            "<p>The few profiles whose accounts really differ in each outcome, found by a CHAID tree whose splits must pass Bonferroni-corrected tests; the notes name the dimensions that made no difference.</p>"
        out += Pages.table(buckets, caption: "Buckets by outcome, highest rate first", name: "buckets")
        out += Pages.settings(buckets) + downloads("buckets") + "</section>"

        out += "<section class=\"card\"><h2>Motivational indicators</h2>"
        out +=
            "<p>Per lifecycle stage, each feedback, process and profile measure with the outcome rate where it is low and where it is high, the difference with a cluster-robust 95% interval, and its correlation with direct feedback.</p>"
        out += Pages.table(
            indicators, caption: "Indicators by stage and outcome, strongest evidence first", name: "indicators")
        out += Pages.settings(indicators) + downloads("indicators") + "</section>"
        return out
    }

    static func downloads(_ name: String) -> String {
        "<p class=\"downloads\">Download: <a href=\"/api/v1/predictions/\(name)?format=csv\">CSV</a> · <a href=\"/api/v1/predictions/\(name)\">JSON</a></p>"
    }
}
