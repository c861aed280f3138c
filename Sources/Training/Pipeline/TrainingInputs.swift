import Foundation

/// The six files a training run reads.
package struct TrainingInputs: Sendable, Hashable {
    package var population: String
    package var customers: String
    package var mailoutTrain: String
    package var mailoutTest: String?
    package var values: String
    package var levels: String?

    package init(
        population: String, customers: String, mailoutTrain: String, mailoutTest: String? = nil, values: String,
        levels: String? = nil
    ) {
        self.population = population
        self.customers = customers
        self.mailoutTrain = mailoutTrain
        self.mailoutTest = mailoutTest
        self.values = values
        self.levels = levels
    }

    /// The real files' names, as Arvato delivered them.
    package enum FileName {
        package static let population = "Udacity_AZDIAS_052018.csv"
        package static let customers = "Udacity_CUSTOMERS_052018.csv"
        package static let mailoutTrain = "Udacity_MAILOUT_052018_TRAIN.csv"
        package static let mailoutTest = "Udacity_MAILOUT_052018_TEST.csv"
        package static let values = "DIAS Attributes - Values 2017.xlsx"
        package static let levels = "DIAS Information Levels - Attributes 2017.xlsx"
    }

    /// The files in `directory` under their real names; the test file and the levels workbook
    /// are used when present.
    package init(directory: String) throws(TrainingError) {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        let manager = FileManager.default
        for name in [FileName.population, FileName.customers, FileName.mailoutTrain, FileName.values]
        where !manager.fileExists(atPath: path(name)) {
            throw .cannotOpen(file: path(name), problem: "No such file (--data expects the real file names)")
        }
        self.init(
            population: path(FileName.population), customers: path(FileName.customers),
            mailoutTrain: path(FileName.mailoutTrain),
            mailoutTest: manager.fileExists(atPath: path(FileName.mailoutTest)) ? path(FileName.mailoutTest) : nil,
            values: path(FileName.values),
            levels: manager.fileExists(atPath: path(FileName.levels)) ? path(FileName.levels) : nil)
    }

    /// Every file with its role, in a fixed order.
    package var all: [(role: String, path: String)] {
        var files = [("population", population), ("customers", customers), ("mailout-train", mailoutTrain)]
        if let mailoutTest { files.append(("mailout-test", mailoutTest)) }
        files.append(("values", values))
        if let levels { files.append(("levels", levels)) }
        return files
    }
}
