import ModelFormat

/// The files a run writes for the campaign's test set.
package enum PredictionFiles {
    /// The scorer's output format (``ScoreFormat``), one line per test row in file order.
    package static func predictions(_ test: TrainingPipeline.TestPredictions, model: ScoringModel) -> [UInt8] {
        let format = ScoreFormat()
        var text = format.header(idColumn: model.transform.idColumn)
        for i in test.ids.indices {
            text += format.line(.scored(id: test.ids[i], segment: test.segments[i], probability: test.probabilities[i]), model: model)
        }
        return Array(text.utf8)
    }

    /// The Kaggle submission: `LNR,RESPONSE`, comma-separated, every test id once.
    package static func submission(_ test: TrainingPipeline.TestPredictions) -> [UInt8] {
        var text = "LNR,RESPONSE\n"
        for i in test.ids.indices { text += test.ids[i] + "," + String(test.probabilities[i]) + "\n" }
        return Array(text.utf8)
    }
}
