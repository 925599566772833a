import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing

/// Events reach every subscriber, in order, as the session runs.
@Suite("guided events")
struct SubscriptionTests {
    /// Reads events until `last` (or the timeout) and returns them.
    static func events(on connection: GuideConnection, until last: Event.Kind, timeout: Duration = .seconds(30)) throws -> [Event] {
        var events: [Event] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let event = try connection.nextEvent(timeout: .milliseconds(500)) else { continue }
            events.append(event)
            if event.event == last { break }
        }
        return events
    }

    /// ``events(on:until:timeout:)`` read on a thread of its own and awaited: a whole
    /// session's events take seconds, and a test that blocks for them holds one of the
    /// cooperative pool's few threads (TestThreads.offPool).
    static func eventsAwaiting(on connection: GuideConnection, until last: Event.Kind, timeout: Duration = .seconds(30)) async throws -> [Event] {
        let reader = Unchecked(connection)
        return try await TestThreads.offPool { try events(on: reader.value, until: last, timeout: timeout) }
    }

    @Test("two subscribers both receive started, step, side, countdown and finished in order")
    func fullRun() throws {
        let daemon = try DaemonFixture(sessions: ["countdown": TestSessions.countdown])
        try daemon.start()
        let first = try daemon.connect()
        let second = try daemon.connect()
        #expect(try first.send(Request(command: .subscribe)).ok)
        #expect(try second.send(Request(command: .subscribe)).ok)
        #expect(try daemon.request(.start, session: "countdown").ok)

        let expected: [String] = [
            "started Warm", "step Lunge left", "side Lunge right", "step Hold",
            "countdown Hold 3", "countdown Hold 2", "countdown Hold 1", "finished Hold",
        ]
        for connection in [first, second] {
            let events = try Self.events(on: connection, until: .finished)
            let described = events.map { event in
                [event.event.rawValue, event.status.step?.name, event.status.step?.side?.rawValue, event.secondsLeft.map(String.init)]
                    .compactMap { $0 }.joined(separator: " ")
            }
            #expect(described == expected)
            let finished = try #require(events.last)
            #expect(finished.status.state == .finished)
            #expect(finished.status.remaining == 0)
        }
        let history = daemon.historyLines
        #expect(history.count == 1)
        #expect(history.first?.contains(#""outcome":"finished""#) == true)
    }

    @Test("pause and resume are published")
    func pauseEvents() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        let watcher = try daemon.connect()
        _ = try watcher.send(Request(command: .subscribe))
        _ = try daemon.request(.start, session: "long")
        _ = try daemon.request(.toggle)
        _ = try daemon.request(.toggle)
        _ = try daemon.request(.stop)
        let events = try Self.events(on: watcher, until: .stopped)
        #expect(events.map(\.event) == [.started, .paused, .resumed, .stopped])
    }
}
