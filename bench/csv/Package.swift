// swift-tools-version:6.2
// The CSV reader comparison (bench/csv/DECISION.md). A separate package so the
// peers it measures against never become dependencies of Fulcrum itself.
import PackageDescription

let package = Package(
    name: "csvbench",
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "csvbench",
            dependencies: [
                .product(name: "FulcrumImport", package: "main"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
    ]
)
