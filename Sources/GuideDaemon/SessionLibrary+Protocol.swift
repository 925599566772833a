import GuideCore
import GuideProtocol

/// The library as the protocol shows it in `list` and `reload`.
extension SessionLibrary {
    var summaries: [SessionSummary] {
        names.compactMap { sessions[$0].map { SessionSummary($0.session) } }
    }

    var fileErrors: [FileError] {
        errors.map { FileError(file: $0.path, message: $0.message) }
    }
}
