import ArgumentParser
import FulcrumStore

/// The root command only configures; each subcommand lives in its own file.
@main
struct Fulcrum: AsyncParsableCommand {
    /// SQLite's process-wide settings first (before any store is opened), then the command.
    static func main() async {
        SQLiteStore.prepareProcess()
        await main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "fulcrum",
        abstract: "Account-lifecycle analytics for recurring-revenue businesses.",
        discussion: """
            The store is an SQLite file (--store PATH, else $FULCRUM_STORE, else ~/.fulcrum/fulcrum.sqlite) or a \
            PostgreSQL database (--store postgres://USER@HOST:PORT/DB, password from PGPASSWORD or ~/.pgpass).
            """,
        version: "0.1.0",
        subcommands: [
            Demo.self, Import.self, Status.self, Report.self, Metrics.self, Accounts.self, Fit.self, Serve.self,
            AttributionFiles.self, Goals.self, Drivers.self, Model.self, NextSteps.self, Plan.self, Experiment.self,
            StoreCommand.self,
        ]
    )
}
