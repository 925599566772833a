import Foundation
import GuideCore
import GuideCLI
import GuideProtocol
import GuideTestSupport
import Testing

/// Reminders against the real `guided` (DESIGN.md §7): on time by the wall clock, held
/// for a routine's step boundary, acknowledged, snoozed and silenced, and in history.
/// The daemon runs with TZ=UTC so that the tests can write `at` times from the clock.
@Suite("schedule")
struct ScheduleTests {
    /// A daemon whose schedule file holds `json`.
    static func daemon(schedule json: String, sessions: [String: String] = [:]) throws -> DaemonFixture {
        let daemon = try DaemonFixture(sessions: sessions)
        let path = daemon.root + "/schedule.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        daemon.extraEnvironment["GUIDE_SCHEDULE"] = path
        daemon.extraEnvironment["TZ"] = "UTC"
        return daemon
    }

    /// `HH:MM:SS` in UTC of a Unix time.
    static func clock(_ unix: Double) -> String {
        let s = Int(unix) % 86_400
        return CivilDay.two(s / 3600) + ":" + CivilDay.two(s % 3600 / 60) + ":" + CivilDay.two(s % 60)
    }

    static var now: Double { Date().timeIntervalSince1970 }

    /// Reminder events (not outcomes) on `watcher` with the time each arrived, until `count` or `timeout`.
    static func reminders(on watcher: GuideConnection, count: Int, timeout: Duration) throws -> [(notice: ReminderNotice, received: Double, events: [Event])] {
        let deadline = ContinuousClock.now + timeout
        var found: [(ReminderNotice, Double, [Event])] = []
        var seen: [Event] = []
        while found.count < count, ContinuousClock.now < deadline {
            guard let event = try watcher.nextEvent(timeout: deadline - ContinuousClock.now) else { break }
            seen.append(event)
            if event.event == .reminder, let notice = event.reminder, notice.outcome == nil {
                found.append((notice, now, seen))
            }
        }
        return found
    }

    @Test("reminders sound within 1 s of their wall-clock time")
    func onTime() throws {
        let due = (Self.now + 4).rounded(.up)
        let daemon = try Self.daemon(schedule: #"""
            {"reminders": [{"name": "tick", "say": "Tick", "every": "10s"},
                           {"name": "soon", "say": "Soon", "at": ["\#(Self.clock(due))"]}]}
            """#)
        try daemon.start()
        let watcher = try daemon.connect()
        #expect(try watcher.send(Request(command: .subscribe)).ok)
        let heard = try Self.reminders(on: watcher, count: 3, timeout: .seconds(25))
        try #require(heard.contains { $0.notice.name == "soon" }, "no reminder for the at time; log: \(daemon.log)")
        try #require(heard.contains { $0.notice.name == "tick" }, "no every-10s reminder; log: \(daemon.log)")
        for (notice, received, _) in heard {
            let fired = try #require(WireTime.unix(notice.at))
            let expected = notice.name == "soon" ? due : (fired / 10).rounded(.down) * 10
            #expect(fired - expected >= 0 && fired - expected < 1, "\(notice.name) sounded \(fired - expected) s after \(expected)")
            #expect(received - expected < 1, "\(notice.name) reached a subscriber \(received - expected) s after its time")
            #expect(notice.kind == "due")
        }
    }

    @Test("a reminder due mid-step waits for the step boundary, then 1 s")
    func waitsForTheBoundary() throws {
        let routine = #"{"title": "Two", "steps": [{"name": "A", "duration": 8}, {"name": "B", "duration": 8}]}"#
        let due = (Self.now + 4).rounded(.up)
        let daemon = try Self.daemon(
            schedule: #"{"reminders": [{"name": "water", "say": "Drink", "at": ["\#(Self.clock(due))"]}]}"#,
            sessions: ["two": routine])
        try daemon.start()
        let watcher = try daemon.connect()
        #expect(try watcher.send(Request(command: .subscribe)).ok)
        let started = try daemon.request(.start, session: "two")
        try #require(started.ok)
        let startedAt = Self.now
        try #require(due - startedAt > 0.5 && due - startedAt < 7.5, "the daemon took too long to start for this test")
        let heard = try Self.reminders(on: watcher, count: 1, timeout: .seconds(20))
        let (notice, received, events) = try #require(heard.first, "no reminder; log: \(daemon.log)")
        let fired = try #require(WireTime.unix(notice.at))
        // The step event for B came first; the reminder 1 s (±0.5) after it.
        let stepIndex = try #require(events.firstIndex { $0.event == .step && $0.status.step?.name == "B" }, "no step event before the reminder")
        #expect(stepIndex < events.count - 1)
        let boundary = startedAt + 8
        #expect(fired - boundary > 0.8 && fired - boundary < 2, "sounded \(fired - boundary) s after the boundary")
        #expect(received > due + 2, "it did not wait")
        #expect(notice.kind == "due")
    }

    @Test("schedule lists the next times; done, snooze and quiet work and land in history")
    func commands() throws {
        let later = (Self.now + 3600).rounded(.down)
        let daemon = try Self.daemon(schedule: #"""
            {"reminders": [{"name": "tick", "say": "Drink", "every": "10s", "intake": "250ml", "dailyGoal": "2l"},
                           {"name": "later", "session": "cooldown", "at": ["\#(Self.clock(later))"]}]}
            """#)
        try daemon.start()
        let json = try daemon.guidectl(["schedule", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let listing = try WireCoding.decode(ScheduleListing.self, from: Array(json.stdout.utf8))
        let checked = Self.now
        #expect(listing.reminders.map(\.name) == ["tick", "later"])
        let tickAt = try #require(listing.reminders.first.flatMap { WireTime.unix($0.at) })
        #expect(tickAt.truncatingRemainder(dividingBy: 10) == 0 && tickAt > checked - 1 && tickAt <= checked + 10)
        #expect(listing.reminders.last?.at == WireTime.iso(later))
        // Status carries the next reminder (and, later, the ones waiting).
        let status = try #require(try daemon.request(.status).status)
        #expect(status.reminders?.next?.name == "tick")
        if Self.now < tickAt - 0.2 {
            // Asked before the first tick was due (a busy machine may get there later).
            #expect(status.reminders?.waiting == [])
        }
        let table = try daemon.guidectl(["schedule"])
        #expect(table.stdout.hasPrefix("NEXT"), "\(table.stdout)")
        #expect(table.stdout.contains("later  Time for cooldown"))

        let watcher = try daemon.connect()
        #expect(try watcher.send(Request(command: .subscribe)).ok)
        try #require(!(try Self.reminders(on: watcher, count: 1, timeout: .seconds(15))).isEmpty)
        #expect(try daemon.request(.status).status?.reminders?.waiting == ["tick"])
        let snooze = try daemon.guidectl(["snooze", "tick", "30s"])
        #expect(snooze.status == 0, "\(snooze.stderr)")
        #expect(snooze.stdout.hasPrefix("⏰ tick again at "))
        let done = try daemon.guidectl(["done", "300ml"])
        #expect(done.stdout == "✓ tick 300ml\n", "\(done.stderr)")
        let again = try daemon.guidectl(["snooze"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("no reminder is waiting"), "\(again.stderr)")
        let quiet = try daemon.guidectl(["quiet", "1m"])
        #expect(quiet.stdout.hasPrefix("quiet until "), "\(quiet.stdout)")
        let held = try daemon.guidectl(["schedule"])
        #expect(held.stdout.contains("Drink (after quiet hours)"), "\(held.stdout)")
        #expect(held.stdout.contains("quiet hours until"))
        let bad = try daemon.guidectl(["quiet", "soon"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains(#""soon" is not a quiet time"#), "\(bad.stderr)")
        #expect(try daemon.guidectl(["quiet", "off"]).stdout == "reminders are on\n")
        let history = daemon.historyLines
        #expect(history.contains { $0.contains(#""outcome":"snoozed","reminder":"tick""#) }, "\(history)")
        #expect(history.contains { $0.contains(#""amount":300,"#) && $0.contains(#""outcome":"done""#) }, "\(history)")
        // Session history still reads (reminder lines are not sessions).
        #expect(try daemon.request(.history).history == [])
        let stats = try daemon.guidectl(["history", "--stats"])
        #expect(stats.stdout.contains("today       tick 300ml of 2l (15%)"), "\(stats.stdout)")
        #expect(stats.stdout.contains("reminder  done  snoozed  missed   (since "), "\(stats.stdout)")
        #expect(stats.stdout.contains("tick         1        1"), "\(stats.stdout)")
    }

    @Test("reload keeps the previous schedule when the new one is broken")
    func reloadKeepsPrevious() throws {
        let daemon = try Self.daemon(schedule: #"{"reminders": [{"name": "tick", "say": "Drink", "every": "1h"}]}"#)
        try daemon.start()
        try #"{"reminders": [{"name": "tick", "say": "Drink", "evry": "1h"}]}"#.write(
            toFile: daemon.root + "/schedule.json", atomically: true, encoding: .utf8)
        #expect(try daemon.request(.reload).ok)
        let listing = try #require(try daemon.request(.schedule).schedule)
        #expect(listing.reminders.map(\.name) == ["tick"])
        #expect(listing.error?.hasPrefix(#"schedule.json: reminders[0].evry: unknown field (did you mean "every"?"#) == true, "\(listing.error ?? "")")
        let text = try daemon.guidectl(["schedule"])
        #expect(text.stdout.hasPrefix("schedule not loaded (the previous one is in use): schedule.json: reminders[0].evry"))
    }

    @Test("with a schedule loaded, guided sleeps on one timer between reminders")
    func idleBetweenReminders() async throws {
        let soon = (Self.now + 3).rounded(.up)
        let daemon = try Self.daemon(schedule: #"""
            {"reminders": [{"name": "soon", "say": "Soon", "at": ["\#(Self.clock(soon))"]},
                           {"name": "later", "say": "Stand up", "at": ["\#(Self.clock(soon + 7200))"]}]}
            """#)
        try daemon.start()
        let watcher = try daemon.connect()
        #expect(try watcher.send(Request(command: .subscribe)).ok)
        try #require(!(try Self.reminders(on: watcher, count: 1, timeout: .seconds(15))).isEmpty)
        #expect(try daemon.guidectl(["done"]).status == 0)
        watcher.close()
        // The device is released 5 s after the reminder's sound; after that nothing is due
        // for two hours (the re-check comes after 10 minutes).
        try await Task.sleep(for: .seconds(6))
        let woke = try await IdleWakeupTests.wakeups(daemon, over: .seconds(4))
        #expect(woke <= 1, "guided was scheduled \(woke) times in 4 s with a schedule loaded")
    }

    @Test("status --format shows the next reminder and the time to it")
    func statusBarPlaceholders() throws {
        let later = (Self.now + 3600).rounded(.down)
        let daemon = try Self.daemon(schedule: #"{"reminders": [{"name": "stretch", "say": "Stand up", "at": ["\#(Self.clock(later))"]}]}"#)
        try daemon.start()
        let line = try daemon.guidectl(["status", "--format", "{state} {reminder} in {reminder_in}"])
        #expect(line.status == 0, "\(line.stderr)")
        let words = line.stdout.split(separator: " ")
        #expect(words.prefix(3) == ["idle", "stretch", "in"], "\(line.stdout)")
        #expect(words.last.map { $0.hasPrefix("59:") || $0.hasPrefix("1:00:") } == true, "\(line.stdout)")
    }
}
