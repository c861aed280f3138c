// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Prospector",
    products: [
        .executable(name: "trainer", targets: ["Trainer"]),
        .executable(name: "prospector-bench", targets: ["Bench"]),
        .library(name: "XLSX", targets: ["XLSX"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // C libraries from Debian's packages (zlib1g-dev, libxml2-dev).
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),

        // Zip + OOXML: knows spreadsheets, nothing of Arvato.
        .target(name: "XLSX", dependencies: ["CZlib", "CLibXML2"]),

        // Fitted models as values, their file format, and per-row prediction.
        .target(name: "ModelFormat"),

        // Fitting: PCA, k-means, boosted trees, logistic regression, metrics.
        .target(name: "Learning", dependencies: ["ModelFormat"]),

        // Thin command-line front ends.
        .executableTarget(
            name: "Trainer",
            dependencies: [
                "XLSX",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(
            name: "Bench",
            dependencies: [
                "XLSX", "Learning", "ModelFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "XLSXTests", dependencies: ["XLSX"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "ModelFormat"]),
    ],
    swiftLanguageModes: [.v6]
)
