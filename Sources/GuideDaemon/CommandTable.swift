import GuideProtocol
import NIOCore

/// Every command the daemon answers, by name, and the function that answers it — the one
/// table every request goes through, whoever sent it (MPD's `AllCommands`).
///
/// Each handler runs on the daemon's event loop, isolated to the ``Engine``, and returns
/// the reply; the caller adds the request's `id`. Adding a command is one entry here and
/// one engine method (plus its case in GuideProtocol's `Command`); CommandTableTests
/// checks that every `Command` has an entry.
struct CommandTable<C: Clock & Sendable>: Sendable where C.Duration == Duration {
    typealias Handler = @Sendable (_ engine: isolated Engine<C>, _ request: Request, _ requester: Requester) -> Response

    private let handlers: [Command: Handler]

    init() {
        handlers = [
            .status: { engine, _, _ in Response(status: engine.status) },
            // Without a session: the routine a reminder announced last.
            .start: { engine, request, _ in
                engine.start(request.session ?? engine.reminders?.lastAnnounced, replace: request.replace ?? false)
            },
            .stop: { engine, _, _ in engine.stop() },
            .pause: { engine, request, _ in engine.pauseOrResume(request.command) },
            .resume: { engine, request, _ in engine.pauseOrResume(request.command) },
            .toggle: { engine, request, _ in engine.pauseOrResume(request.command) },
            .skip: { engine, request, _ in engine.move(request.command) },
            .back: { engine, request, _ in engine.move(request.command) },
            .list: { engine, _, _ in engine.list() },
            .show: { engine, request, _ in engine.show(request.session ?? "") },
            .reload: { engine, _, _ in engine.reload() },
            .history: { engine, request, _ in engine.readHistory(limit: request.limit ?? 10) },
            .subscribe: { engine, _, requester in
                // The reply carries the status; events follow on the same connection.
                engine.subscribe(requester)
                return Response(status: engine.status)
            },
            .version: { engine, _, _ in engine.version() },
            // Reminders (Engine+Schedule.swift).
            .schedule: { engine, request, _ in engine.handleReminderCommand(request) },
            .done: { engine, request, _ in engine.handleReminderCommand(request) },
            .snooze: { engine, request, _ in engine.handleReminderCommand(request) },
            .quiet: { engine, request, _ in engine.handleReminderCommand(request) },
        ]
    }

    /// The commands that have an entry.
    var commands: Set<Command> { Set(handlers.keys) }

    func answer(_ request: Request, engine: isolated Engine<C>, requester: Requester) -> Response {
        guard let handler = handlers[request.command] else {
            return .failure(ProtocolError(.unknownCommand, "this daemon does not serve \"\(request.command.rawValue)\""), id: nil)
        }
        return handler(engine, request, requester)
    }
}

extension Response {
    /// This reply as one line, written by its one encoder (WireCoding).
    var line: [UInt8] { WireCoding.encodeLine(self, capacity: status == nil ? 256 : 512) }
}

/// Who sent a request: what `subscribe` needs to attach a connection to the events.
public struct Requester: Sendable {
    /// The connection's identity (to detach it when it closes).
    let id: ObjectIdentifier?
    let subscriber: EventHub.Subscriber?

    /// A caller that cannot receive events (`subscribe` answers the status only).
    public static let none = Requester(id: nil, subscriber: nil)

    init(id: ObjectIdentifier?, subscriber: EventHub.Subscriber?) {
        self.id = id
        self.subscriber = subscriber
    }

    /// A subscriber identified by `id`: `deliver` writes one event line and answers false
    /// when the subscriber has to be dropped; `end` closes it at shutdown.
    public init(id: ObjectIdentifier, deliver: @escaping @Sendable (ByteBuffer) -> Bool, end: @escaping @Sendable () -> Void = {}) {
        self.init(id: id, subscriber: EventHub.Subscriber(deliver: deliver, end: end))
    }
}
