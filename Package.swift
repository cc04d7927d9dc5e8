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
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Pure computation: domain types, demo generator, metrics, models. No I/O.
        .target(name: "FulcrumCore"),
        // Reading exports: a streaming CSV reader, value parsers (dates, amounts), source mappings and mapping files (YAML).
        .target(name: "FulcrumImport", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Persistence: the Store protocol and its SQLite implementation.
        .target(
            name: "FulcrumStore",
            dependencies: [
                "FulcrumCore", "FulcrumImport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The command-line tool: parse, call the libraries, print.
        .executableTarget(
            name: "fulcrum",
            dependencies: [
                "FulcrumCore", "FulcrumStore", "FulcrumImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "FulcrumCoreTests", dependencies: ["FulcrumCore"]),
        .testTarget(name: "FulcrumImportTests", dependencies: ["FulcrumImport"]),
        .testTarget(name: "FulcrumStoreTests", dependencies: ["FulcrumStore", "FulcrumCore", "FulcrumImport"]),
        .testTarget(name: "FulcrumCLITests", dependencies: ["fulcrum"]),
    ]
)
