// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Fulcrum",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fulcrum", targets: ["fulcrum"]),
        .library(name: "FulcrumCore", targets: ["FulcrumCore"]),
        .library(name: "FulcrumStore", targets: ["FulcrumStore"]),
        .library(name: "FulcrumImport", targets: ["FulcrumImport"]),
        .library(name: "FulcrumService", targets: ["FulcrumService"]),
        .library(name: "FulcrumServer", targets: ["FulcrumServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Pure computation: domain types, demo generator, metrics, models. No I/O.
        .target(name: "FulcrumCore"),
        // Reading exports: a streaming CSV reader, value parsers (dates, amounts), source mappings and mapping files (YAML).
        .target(name: "FulcrumImport", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Process-wide SQLite settings Swift cannot make itself (sqlite3_config is a C variadic function).
        .target(name: "CSQLiteSettings", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Persistence: the Store protocol, the queries every backend shares, and its SQLite (embedded default)
        // and PostgreSQL (team server) implementations.
        .target(
            name: "FulcrumStore",
            dependencies: [
                "FulcrumCore", "FulcrumImport", "CSQLiteSettings", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What the command line and the server share: report requests from named parameters, loading a
        // report's inputs from a store, the lifecycle configuration file, export archives (zip).
        // One code path for every front end.
        .target(
            name: "FulcrumService",
            dependencies: [
                "FulcrumCore", "FulcrumStore", .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The HTTP API and the web dashboard (Hummingbird): routes, pages, SVG charts, access token.
        .target(
            name: "FulcrumServer",
            dependencies: [
                "FulcrumCore", "FulcrumStore", "FulcrumService", "FulcrumImport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The command-line tool: parse, call the libraries, print.
        .executableTarget(
            name: "fulcrum",
            dependencies: [
                "FulcrumCore", "FulcrumStore", "FulcrumImport", "FulcrumService", "FulcrumServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "FulcrumCoreTests", dependencies: ["FulcrumCore"], exclude: ["Fixtures"]),
        .testTarget(name: "FulcrumImportTests", dependencies: ["FulcrumImport"]),
        .testTarget(name: "FulcrumStoreTests", dependencies: ["FulcrumStore", "FulcrumCore", "FulcrumImport"]),
        .testTarget(name: "FulcrumCLITests", dependencies: ["fulcrum"]),
        .testTarget(
            name: "FulcrumServerTests",
            dependencies: [
                "FulcrumServer", "FulcrumStore", "FulcrumCore", "FulcrumService", "FulcrumImport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ]
)
