import ArgumentParser
import Foundation
import FulcrumCore
import FulcrumServer
import FulcrumStore
import Logging

extension Fulcrum {
    /// `fulcrum serve`: the web dashboard and the JSON API on the same store as the CLI (docs/server.md).
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the web dashboard and the HTTP API (docs/server.md).",
            discussion: """
                Listens on 127.0.0.1 by default. A --host other machines can reach needs an access token, from \
                $FULCRUM_TOKEN or --token-file FILE (never the command line); every request must then carry it \
                (Authorization: Bearer TOKEN, or the login form's session cookie). Stops gracefully on SIGINT and SIGTERM.
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Address to listen on (default: 127.0.0.1, this machine only).")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on; 0 picks a free one (printed at start).")
        var port = 8080

        @Flag(help: "Build the demo company (small) into the store first when it holds no data.")
        var demo = false

        @Option(name: .customLong("token-file"), help: "File holding the access token (else $FULCRUM_TOKEN).")
        var tokenFile: String?

        @Option(
            name: .customLong("max-upload-mb"), help: "Largest upload accepted, in MiB (default 256); larger gets 413.")
        var maxUploadMB = 256

        @Option(help: "Lifecycle definitions YAML (default: lifecycle.yaml beside the store).")
        var config: String?

        @Option(name: .customLong("log-level"), help: "Request log level: trace, debug, info, notice, warning, error.")
        var logLevel = "info"

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port: \(port) is not a port (0–65535)") }
            guard maxUploadMB >= 1, maxUploadMB <= 65536 else {
                throw ValidationError("--max-upload-mb: \(maxUploadMB) is not between 1 and 65536")
            }
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError(
                    "--log-level: '\(logLevel)' is not one of trace, debug, info, notice, warning, error")
            }
            _ = try options()
        }

        func options() throws -> ServerOptions {
            var options = ServerOptions(storePath: storeOptions.resolvedPath.path)
            options.host = host
            options.port = port
            options.configPath = config
            options.uploadLimit = maxUploadMB * 1_048_576
            do {
                options.token = try AccessToken.load(environment: ProcessInfo.processInfo.environment, file: tokenFile)
                try options.checkExposure()
            } catch let error as ServerSetupError {
                throw ValidationError(error.description)
            }
            return options
        }

        func run() async throws {
            let options = try options()
            let path = options.storePath
            if demo {
                let hasData =
                    storeOptions.isPostgres
                    ? ((try? storeOptions.openPostgres().metaValue("data_through")) ?? nil) != nil
                    : FileManager.default.fileExists(atPath: path)
                        && ((try? SQLiteStore.openForReading(path: path).metaValue("data_through")) ?? nil) != nil
                if !hasData && storeOptions.isPostgres {
                    FileHandle.standardError.write(
                        Data(
                            "fulcrum: error: --demo: load the demo into the PostgreSQL store first (fulcrum demo --store \(path))\n"
                                .utf8))
                    throw ExitCode.failure
                }
                if !hasData {
                    if storeOptions.resolvedPath.isDefault {
                        try? FileManager.default.createDirectory(
                            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    }
                    let result = try runReportingErrors { try DemoLoader.build(at: path, size: .small, seed: 1) }
                    FileHandle.standardError.write(
                        Data(
                            "Demo company (small, seed 1): \(Format.grouped(Int64(result.rows))) rows in \(path)\n".utf8
                        ))
                }
            }
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var logger = Logger(label: "fulcrum.server")
            logger.logLevel = level
            let host = options.host
            let app = try FulcrumServer.application(options: options, logger: logger) { port in
                let shown = host.contains(":") ? "[\(host)]" : host
                let line = "Fulcrum is serving http://\(shown):\(port)/ (store \(path)); Ctrl-C stops it\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            try await app.runService()
        }
    }
}
