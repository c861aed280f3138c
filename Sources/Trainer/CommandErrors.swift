import ArgumentParser
import Console
import DIASMetadata
import Features
import Foundation
import Learning
import ModelFormat
import Tabular
import Synth
import Training
import XLSX

/// Turns any error of a command into one readable line on stderr and the exit status of
/// ``ExitStatus`` that says who must act: users see what failed, never a stack trace.
enum CommandErrors {
    static func run<T>(_ command: String, progress: ProgressReporter? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            progress?.clearLiveLine()
            FileHandle.standardError.write(Data("trainer \(command): \(error)\n".utf8))
            throw ExitCode(exitStatus(of: error).rawValue)
        }
    }

    /// The row of the exit-status table an error belongs to.
    static func exitStatus(of error: any Error) -> ExitStatus {
        switch error {
        case let error as ExitStatusProviding: return error.exitStatus
        case let error as TrainingError:
            switch error {
            case .badInput: return .dataError
            case .cannotOpen: return .noInput
            case .cannotPublish: return .cannotCreate
            case .internalFailure: return .software
            }
        case let error as CSVError:
            if case .cannotRead = error { return .noInput }
            return .dataError
        case let error as BundleError:
            switch error {
            case .cannotRead: return .noInput
            case .cannotWrite: return .cannotCreate
            default: return .dataError
            }
        case let error as XLSXError:
            if case .unreadableFile = error { return .noInput }
            return .dataError
        case let error as MetadataError:
            if case .workbook(let workbook) = error { return exitStatus(of: workbook) }
            return .dataError
        case let error as SynthError:
            switch error {
            case .badOption: return .usage
            case .cannotWrite: return .cannotCreate
            case .schemaMissing, .schemaInvalid: return .software
            }
        case is CleaningError, is SegmentationError, is BatchScorer.Failure, is FeatureReadError: return .dataError
        default: return .software
        }
    }
}
