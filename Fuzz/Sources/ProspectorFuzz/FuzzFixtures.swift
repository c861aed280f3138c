import Foundation
import ModelFormat
import ScoringService

/// The files the targets read besides their input: a small bundle trained on synthetic data
/// (`Fuzz/Fixtures/model.bundle`, written by `SeedWriter`).
enum FuzzFixtures {
    /// `Fuzz/`, from this source file's place in the tree.
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundle the scoring targets serve (PROSPECTOR_FUZZ_BUNDLE overrides it).
    static let modelPath =
        ProcessInfo.processInfo.environment["PROSPECTOR_FUZZ_BUNDLE"]
        ?? fuzzDirectory.appendingPathComponent("Fixtures/model.bundle").path

    static let model: ScoringModel = {
        do {
            return try ScoringModel.load(path: modelPath)
        } catch {
            fatalError("the fuzz fixture bundle does not load: \(error)")
        }
    }()

    static let served: ServedModel = {
        do {
            return try ServedModel(path: modelPath)
        } catch {
            fatalError("the fuzz fixture bundle does not load: \(error)")
        }
    }()

    /// The model's bundle, decoded but not validated: the bundle target swaps its sections.
    static let bundle: ModelBundle = {
        do {
            return try BundleFile.read(path: modelPath)
        } catch {
            fatalError("the fuzz fixture bundle does not load: \(error)")
        }
    }()

    /// A header the model can bind: the id column, then every input, `;`-separated.
    static let header: [String] = [model.transform.idColumn] + model.transform.inputs.map(\.name)
}
