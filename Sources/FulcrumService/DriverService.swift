import FulcrumCore
import FulcrumStore

/// `fulcrum drivers` from a store: reads what the driver panels need and fits them. One code path
/// for the CLI and any other front end.
public enum DriverService {
    /// An objective id that is not one of `DriverPanels.objectiveIds`.
    public struct UnknownObjective: Error, CustomStringConvertible {
        public var id: String
        public init(id: String) { self.id = id }
        public var description: String {
            "--objective: '\(id)' is not one of \(DriverPanels.objectiveIds.joined(separator: ", "))"
        }
    }

    public static func analyze(
        store: any Store, storePath: String, config: String?, objectives: [String] = DriverPanels.objectiveIds
    ) throws -> [DriverObjectiveResult] {
        for id in objectives where !DriverPanels.objectiveIds.contains(id) { throw UnknownObjective(id: id) }
        var settings = MetricSettings()
        settings.lifecycle = try ReportPlan.lifecycleSettings(config: config, storePath: storePath)
        var needs: Set<MetricInputs.Need> = [.billing, .opportunities, .people, .driverTouches, .referrals]
        if objectives.contains("win") || objectives.contains("churn") { needs.insert(.activities) }
        if objectives.contains("opportunity") { needs.insert(.firstResponses) }
        if objectives.contains("churn") { needs.insert(.tickets) }
        let context = try ReportInputs.context(
            store: store, needs: needs, query: ReportQuery(report: "drivers", settings: settings))
        return DriverAnalysis.run(DriverPanels.build(context, objectives: objectives))
    }
}
