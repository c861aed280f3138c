import Foundation
import ModelFormat
import Tabular

/// The cleaning is fitted on the population's columns, and every other file must have them.
/// When one lacks a column, the file to fix is usually that one, but a column renamed in the
/// population is missing from every other file: then the population is the one to fix. This
/// check reads only the headers, so either is named before any table is read.
enum InputColumnCheck {
    /// Fails naming the file to fix when one of `others` lacks an input column of `transform`.
    static func check(_ transform: CleaningTransform, population: String, others: [String]) throws(TrainingError) {
        var headers: [(file: String, columns: Set<String>)] = []
        for file in others { headers.append((file, Set(try header(file)))) }
        let required = transform.inputs.map(\.name)
        guard let first = headers.first(where: { header in required.contains { !header.columns.contains($0) } }) else { return }
        let missing = required.filter { !first.columns.contains($0) }
        let inNoOtherFile = missing.filter { name in headers.allSatisfy { !$0.columns.contains(name) } }
        if !inNoOtherFile.isEmpty {
            let populationColumns = Set(try header(population))
            let common = headers.dropFirst().reduce(first.columns) { $0.intersection($1.columns) }
            let candidates = common.subtracting(populationColumns).sorted()
            let names = inNoOtherFile.prefix(3).joined(separator: ", ") + (inNoOtherFile.count > 3 ? ", ..." : "")
            var problem = "column\(inNoOtherFile.count == 1 ? "" : "s") \(names) \(inNoOtherFile.count == 1 ? "is" : "are") in no other input file"
            if !candidates.isEmpty {
                problem += " (they have \(candidates.prefix(3).joined(separator: ", ")) instead)"
            }
            problem += ": rename it back, or in every file (the cleaning is fitted on the population's columns)"
            throw .badInput(file: population, problem: problem)
        }
        throw .badInput(
            file: first.file,
            problem: "required column \(missing[0]) is not in the file (the population file has it\(missing.count > 1 ? ", and \(missing.count - 1) more" : ""))")
    }

    private static func header(_ file: String) throws(TrainingError) -> [String] {
        do {
            return try CSVReader.header(ofFileAt: file).columnNames
        } catch {
            if case .cannotRead = error { throw .cannotOpen(file: file, problem: "\(error)") }
            throw .badInput(file: file, problem: "\(error)")
        }
    }
}
