import GuideCore
import GuideProtocol
import GuideTestSupport
import NIOCore
import Synchronization
import Testing

@testable import GuideDaemon

/// The hub's promise: every subscriber gets every event, encoded once, and one that has to
/// be dropped (its connection fell behind and closed itself) is forgotten without
/// troubling the others — even when it detaches itself in the middle of a delivery.
@Suite("EventHub")
struct EventHubTests {
    final class Lines: Sendable {
        let kinds = Mutex<[String]>([])
        func record(_ buffer: ByteBuffer) {
            let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
            kinds.withLock { $0.append(text.contains("\"event\":\"step\"") ? "step" : "other") }
        }
    }

    @Test("subscribers receive every event in order")
    func delivery() {
        let hub = EventHub()
        let first = Lines(), second = Lines()
        hub.add(ObjectIdentifier(first), .init(deliver: { first.record($0); return true }, end: {}))
        hub.add(ObjectIdentifier(second), .init(deliver: { second.record($0); return true }, end: {}))
        for kind in [Event.Kind.started, .step, .finished] { #expect(hub.publish(Event(kind, status: .idle)) == 0) }
        #expect(first.kinds.withLock { $0 } == ["other", "step", "other"])
        #expect(second.kinds.withLock { $0 } == ["other", "step", "other"])
    }

    @Test("a subscriber that answers false is dropped; the others stay; it may detach itself meanwhile")
    func dropped() {
        let hub = EventHub()
        let keeper = Lines(), laggard = Lines()
        let laggardID = ObjectIdentifier(laggard)
        let boxed = Unchecked(hub)
        let ended = Mutex(0)
        hub.add(ObjectIdentifier(keeper), .init(deliver: { keeper.record($0); return true }, end: { ended.withLock { $0 += 1 } }))
        hub.add(
            laggardID,
            .init(
                deliver: { _ in
                    boxed.value.remove(laggardID)  // its connection closed and detached it, inside the delivery
                    return false
                }, end: {}))
        #expect(hub.count == 2)
        #expect(hub.publish(Event(.step, status: .idle)) == 1)
        #expect(hub.count == 1)
        #expect(hub.publish(Event(.step, status: .idle)) == 0)
        #expect(keeper.kinds.withLock { $0 } == ["step", "step"])
        hub.finishAll()
        #expect(hub.count == 0)
        #expect(ended.withLock { $0 } == 1, "shutdown ends the remaining subscription")
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
