import GuideCore
import GuideProtocol
import Testing

@testable import GuideDaemon

/// The hub's promise: every subscriber gets every event, and one that stops reading is
/// dropped once its backlog is full instead of growing the daemon's memory.
@Suite("EventHub")
struct EventHubTests {
    @Test("subscribers receive every event in order")
    func delivery() async {
        var hub = EventHub()
        let (_, first) = hub.add()
        let (_, second) = hub.add()
        for kind in [Event.Kind.started, .step, .finished] { #expect(hub.publish(Event(kind, status: .idle)) == 0) }
        hub.finishAll()
        for stream in [first, second] {
            var kinds: [String] = []
            for await line in stream {
                kinds.append(String(decoding: line, as: UTF8.self).contains("\"event\":\"step\"") ? "step" : "other")
            }
            #expect(kinds == ["other", "step", "other"])
        }
    }

    @Test("a subscriber that does not read is dropped when its backlog is full; others stay")
    func slowSubscriberDropped() async {
        var hub = EventHub()
        let (_, slow) = hub.add()
        _ = slow  // never read
        var dropped = 0
        for _ in 0..<EventHub.backlogLimit { dropped += hub.publish(Event(.countdown, status: .idle)) }
        #expect(dropped == 0)
        #expect(hub.count == 1)
        #expect(hub.publish(Event(.countdown, status: .idle)) == 1)
        #expect(hub.count == 0)
    }
}

@Suite("StatusLine")
struct StatusLineTests {
    @Test("systemd STATUS= lines")
    func lines() throws {
        #expect(StatusLine.systemd(.idle) == "idle")
        var clock = Runner(clock: SuspendingClock())
        clock.start(Session(name: "cooldown", title: "C", steps: [Step(name: "Knee-to-chest", duration: .seconds(30), sides: true)]))
        #expect(StatusLine.systemd(clock.status) == "cooldown 1/1 Knee-to-chest (left)")
        try clock.pause()
        #expect(StatusLine.systemd(clock.status) == "cooldown paused 1/1 Knee-to-chest (left)")
    }
}
