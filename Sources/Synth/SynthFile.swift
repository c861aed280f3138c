/// The four CSV files of the Arvato data set, under their real names.
public enum SynthFile: Int, Sendable, CaseIterable, Codable {
    case azdias = 0, customers, mailoutTrain, mailoutTest

    public var fileName: String {
        switch self {
        case .azdias: return "Udacity_AZDIAS_052018.csv"
        case .customers: return "Udacity_CUSTOMERS_052018.csv"
        case .mailoutTrain: return "Udacity_MAILOUT_052018_TRAIN.csv"
        case .mailoutTest: return "Udacity_MAILOUT_052018_TEST.csv"
        }
    }

    /// The key of this file in the schema's `files`.
    public var schemaKey: String {
        switch self {
        case .azdias: return "AZDIAS"
        case .customers: return "CUSTOMERS"
        case .mailoutTrain: return "MAILOUT_TRAIN"
        case .mailoutTest: return "MAILOUT_TEST"
        }
    }

    /// Name of the ground-truth file in `truth/`.
    public var truthFileName: String {
        switch self {
        case .azdias: return "segments_azdias.csv"
        case .customers: return "segments_customers.csv"
        case .mailoutTrain: return "response_mailout_train.csv"
        case .mailoutTest: return "response_mailout_test.csv"
        }
    }

    public var population: Population {
        switch self {
        case .azdias: return .azdias
        case .customers: return .customers
        case .mailoutTrain, .mailoutTest: return .mailout
        }
    }

    public var isMailout: Bool { population == .mailout }
}
