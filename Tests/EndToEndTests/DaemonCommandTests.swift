import Foundation
import GuideCore
import GuideProtocol
import GuideTestSupport
import Testing

/// The commands of the socket protocol, against the real `guided` binary.
@Suite("guided commands")
struct DaemonCommandTests {
    @Test("start, status, pause freezes time, resume, skip, back, stop")
    func lifecycle() async throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long])
        try daemon.start()
        let started = try daemon.request(.start, session: "long")
        #expect(started.ok)
        #expect(started.status?.state == .running)
        #expect(started.status?.step?.index == 1)
        #expect(started.status?.step?.name == "First")
        #expect(started.status?.next?.name == "Second")
        #expect(started.status?.next?.side == .left)

        let paused = try daemon.request(.pause)
        #expect(paused.status?.state == .paused)
        let frozen = try #require(paused.status?.step?.remaining)
        try await Task.sleep(for: .seconds(1))
        let later = try daemon.request(.status)
        #expect(later.status?.state == .paused)
        #expect(later.status?.step?.remaining == frozen, "remaining must not move while paused")

        let resumed = try daemon.request(.resume)
        #expect(resumed.status?.state == .running)
        #expect(abs((resumed.status?.step?.remaining ?? 0) - frozen) < 0.5)

        let skipped = try daemon.request(.skip)
        #expect(skipped.status?.step?.index == 2)
        #expect(skipped.status?.step?.side == .left)
        #expect((skipped.status?.step?.remaining ?? 0) > 299)

        let skippedAgain = try daemon.request(.skip)
        #expect(skippedAgain.status?.step?.side == .right)

        let back = try daemon.request(.back)  // within 3 s of the right side: to the left side
        #expect(back.status?.step?.index == 2)
        #expect(back.status?.step?.side == .left)

        let stopped = try daemon.request(.stop)
        #expect(stopped.ok)
        #expect(stopped.status?.state == .idle)
        let again = try daemon.request(.stop)
        #expect(!again.ok)
        #expect(again.error?.code == .notRunning)
        #expect(daemon.historyLines.count == 1)
        #expect(daemon.historyLines.first?.contains(#""outcome":"stopped""#) == true)
    }

    @Test("a second start is refused with busy unless replace is set")
    func busy() throws {
        let daemon = try DaemonFixture(sessions: ["long": TestSessions.long, "quick": TestSessions.quick])
        try daemon.start()
        #expect(try daemon.request(.start, session: "long").ok)
        let refused = try daemon.request(.start, session: "quick")
        #expect(!refused.ok)
        #expect(refused.error?.code == .busy)
        #expect(refused.error?.message.contains("long") == true)
        let replaced = try daemon.request(.start, session: "quick", replace: true)
        #expect(replaced.ok)
        #expect(replaced.status?.session == "quick")
        #expect(daemon.historyLines.count == 1)
        #expect(daemon.historyLines.first?.contains(#""outcome":"replaced""#) == true)
    }

    @Test("names that are not session names are refused before any path is built")
    func invalidNames() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick])
        try daemon.start()
        for name in ["../../etc/passwd", "/etc/passwd", "Quick", "", "a/b", "quick\u{0}", String(repeating: "a", count: 65)] {
            let reply = try daemon.request(.start, session: name)
            #expect(!reply.ok)
            #expect(reply.error?.code == .invalidName, "\(name)")
        }
        let unknown = try daemon.request(.start, session: "quik")
        #expect(unknown.error?.code == .unknownSession)
        #expect(unknown.error?.message.contains("did you mean \"quick\"") == true)
    }

    @Test("list, show, version and history answer in the shape of the contract")
    func queries() throws {
        let daemon = try DaemonFixture(sessions: ["quick": TestSessions.quick, "broken": #"{"title": "B", "steps": []}"#])
        try daemon.start()
        let list = try daemon.request(.list)
        #expect(list.sessions?.map(\.name) == ["quick"])
        #expect(list.sessions?.first?.total == 8)
        #expect(list.sessions?.first?.steps == 3)
        #expect(list.errors?.count == 1)
        #expect(list.errors?.first?.message == "broken.json: steps: is empty; a session needs at least one step")

        let show = try daemon.request(.show, session: "quick")
        #expect(show.session?.title == "Quick")
        #expect(show.session?.timeline.map(\.name) == ["Reach", "Twist", "Twist", "Breathe"])
        #expect(show.session?.timeline.map(\.offset) == [0, 2, 4, 6])

        let version = try daemon.request(.version)
        #expect(version.version?.protocol == ProtocolVersion.current)
        #expect(try daemon.request(.history).history == [])
    }
}
