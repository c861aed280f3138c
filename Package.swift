// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// `PROSPECTOR_CHECKED=1` (the sanitizer and fuzzing builds, README "Checking: sanitizers and
/// fuzzing"): debug builds are not forced to -O, so the debug-only checks of unsafe buffer
/// pointers (index in bounds) run in the data libraries too, and exclusivity is checked.
let checkedBuild = ProcessInfo.processInfo.environment["PROSPECTOR_CHECKED"] == "1"

/// `PROSPECTOR_FUZZ=1` adds the libFuzzer targets of `Fuzz/` (built by `make fuzz` only).
let fuzzBuild = ProcessInfo.processInfo.environment["PROSPECTOR_FUZZ"] == "1"

/// The data-crunching libraries are optimised in debug builds too (-O keeps bounds and overflow
/// checks): the tests run the real pipeline on thousands of Arvato-shaped rows, which would take
/// minutes unoptimised instead of seconds.
let optimisedInDebug: [SwiftSetting] =
    checkedBuild
    ? [.unsafeFlags(["-enforce-exclusivity=checked"])]
    : [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Prospector",
    products: [
        .executable(name: "trainer", targets: ["Trainer"]),
        .executable(name: "prospector-bench", targets: ["Bench"]),
        .executable(name: "scorer", targets: ["Scorer"]),
        .library(name: "XLSX", targets: ["XLSX"]),
        .library(name: "Tabular", targets: ["Tabular"]),
        .library(name: "Synth", targets: ["Synth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries from Debian's packages (zlib1g-dev, libxml2-dev).
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),

        // Running independent pieces of work on all cores and collecting their results in order.
        .target(name: "Concurrency", swiftSettings: optimisedInDebug),

        // What the programs tell people and log tools: progress, logfmt lines, exit statuses.
        .target(name: "Console"),

        // Zip + OOXML: knows spreadsheets, nothing of Arvato.
        .target(name: "XLSX", dependencies: ["CZlib", "CLibXML2"]),

        // The DIAS metadata workbooks read into a catalog, and matched to data columns.
        .target(name: "DIASMetadata", dependencies: ["XLSX"]),

        // Columnar CSV ingestion: bytes in, compact typed columns out.
        .target(name: "Tabular", dependencies: ["Concurrency"], swiftSettings: optimisedInDebug),

        // Fitted models as values, their file format, and per-row prediction.
        .target(name: "ModelFormat", dependencies: ["Tabular", "Numerics", "CBuildInfo", "Concurrency"], exclude: ["FORMAT.md"], swiftSettings: optimisedInDebug),

        // Fitting the metadata-driven cleaning transform on the population.
        .target(name: "Features", dependencies: ["Tabular", "DIASMetadata", "ModelFormat", "Numerics", "Concurrency"], swiftSettings: optimisedInDebug),

        // Arvato-shaped synthetic data with known ground truth.
        .target(
            name: "Synth", dependencies: ["XLSX", "Concurrency"], resources: [.copy("Resources/schema.json")],
            // The tests generate ~100 000 Arvato-shaped rows to check the schema's missing
            // fractions; unoptimised, that alone would take minutes.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),

        // Dense kernels for instruction sets chosen at run time (AVX2 + FMA), with a portable fallback.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),

        // The shared numerics: `Matrix`, the dense kernels' Swift side (SIMD loops, the C
        // kernels chosen at run time), the fixed chunking of parallel reductions.
        .target(name: "Numerics", dependencies: ["CKernels"], swiftSettings: optimisedInDebug),

        // The git commit baked in by `make release` ("unknown" in a plain `swift build`).
        .target(name: "CBuildInfo"),

        // Fitting: PCA, k-means, boosted trees, logistic regression, metrics.
        .target(name: "Learning", dependencies: ["CKernels", "ModelFormat", "Numerics", "Concurrency"], swiftSettings: optimisedInDebug),

        // The trainer's steps composed: cleaning, segmentation, response model.
        .target(
            name: "Training", dependencies: ["Features", "Learning", "ModelFormat", "Numerics", "Tabular", "DIASMetadata", "Report", "Console", "Concurrency"],
            swiftSettings: optimisedInDebug),

        // Campaign tooling: the mailing plan under a budget (`trainer plan`).
        .target(name: "Campaign", dependencies: ["ModelFormat"], swiftSettings: optimisedInDebug),

        // The training run's self-contained HTML report: plain values in, one page out.
        .target(name: "Report"),

        // Thin command-line front ends.
        .executableTarget(
            name: "Trainer",
            dependencies: [
                "XLSX", "DIASMetadata", "Tabular", "Features", "ModelFormat", "Synth", "Training", "Learning", "Console", "Campaign", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "Bench",
            dependencies: [
                "XLSX", "ModelFormat", "Numerics", "Concurrency", "Learning", "Tabular", "Features", "DIASMetadata", "Synth", "Training",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The scoring daemon: stream protocol, socket and admin servers, hot reload, metrics.
        .target(
            name: "ScoringService",
            dependencies: [
                "ModelFormat", "Tabular", "Console", "Concurrency",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "Scorer",
            dependencies: [
                "ScoringService", "ModelFormat", "Console",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        .testTarget(name: "XLSXTests", dependencies: ["XLSX", "CZlib"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DIASMetadataTests", dependencies: ["DIASMetadata", "XLSX"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular"]),
        .testTarget(name: "ConcurrencyTests", dependencies: ["Concurrency"]),
        .testTarget(name: "ModelFormatTests", dependencies: ["ModelFormat", "Numerics", "Tabular", "Concurrency"]),
        .testTarget(
            name: "FeaturesTests", dependencies: ["Features", "ModelFormat", "Tabular", "DIASMetadata"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "ModelFormat", "Numerics"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "Features", "Learning", "ModelFormat", "Tabular", "DIASMetadata", "Synth", "Report"]),
        .testTarget(
            name: "ScoringServiceTests",
            dependencies: [
                "ScoringService", "ModelFormat", "Numerics",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "XLSX", "DIASMetadata"]),
        .testTarget(name: "ReportTests", dependencies: ["Report"]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console"]),
        .testTarget(name: "CampaignTests", dependencies: ["Campaign", "ModelFormat", "Numerics"]),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer targets (README "Checking: sanitizers and fuzzing"): only with PROSPECTOR_FUZZ=1,
// built by `make fuzz` with -sanitize=fuzzer,address, so the normal build never sees them.
if fuzzBuild {
    package.products.append(.executable(name: "prospector-fuzz", targets: ["ProspectorFuzz"]))
    package.targets.append(
        .executableTarget(
            name: "ProspectorFuzz", dependencies: ["ModelFormat", "ScoringService", "Tabular", "XLSX"],
            path: "Fuzz/Sources/ProspectorFuzz"))
}
