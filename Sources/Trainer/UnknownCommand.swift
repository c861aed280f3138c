import ArgumentParser
import Console

/// `trainer trian`: ArgumentParser says only "Unexpected argument 'trian'"; this names the
/// command meant. Called from the root command's `validate()`, which runs before that error.
enum UnknownCommand {
    static func check(_ arguments: ArraySlice<String>, commands: [any ParsableCommand.Type]) throws {
        guard let word = arguments.first, !word.hasPrefix("-"), word != "help" else { return }
        let names = commands.compactMap { $0.configuration.commandName }
        guard !names.contains(word) else { return }
        let hint = Suggestion.closest(to: word, among: names).map { " Did you mean '\($0)'?" } ?? ""
        throw ValidationError("unknown command '\(word)'.\(hint) The commands: \(names.joined(separator: ", ")).")
    }
}
