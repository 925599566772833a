@testable import GuideCore

/// Statuses as the daemon sends them, for the formatter tests.
enum SampleStatus {
    static func running(
        remaining stepLeft: Double = 12, side: Side? = .left, state: Status.State = .running, restored: Bool = false,
        audio: Status.AudioStatus? = .init(device: "default", ok: true), rounds: Int = 1
    ) -> Status {
        Status(
            state: state, session: "cooldown", title: "Back-friendly cooldown",
            step: .init(
                index: 3, count: 9, name: "Knee-to-chest", side: side, rest: false, duration: 45, remaining: stepLeft,
                instructions: nil),
            round: .init(index: 1, count: rounds), elapsed: 129, remaining: 271, total: 400,
            next: .init(name: "Knee-to-chest", side: .right, duration: 45), audio: audio,
            startedAt: "2025-05-01T18:30:00Z", restored: restored)
    }

    static var finished: Status {
        var status = running(remaining: 0)
        status.state = .finished
        status.elapsed = 400
        status.remaining = 0
        status.next = nil
        return status
    }
}
