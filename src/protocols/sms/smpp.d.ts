/**
 * The parts of the npm `smpp` package (0.5.x, no type declarations of its own) that the SMS channel
 * and the SMSC simulator use.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    /**
     * A decoded PDU. Mandatory parameters and TLVs are properties named as in SMPP v3.4 §4;
     * `short_message` of a received deliver_sm/submit_sm is decoded into `{ message, udh }`.
     */
    interface PDU {
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      [field: string]: unknown;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): PDU;
    }

    interface DecodedMessage {
      message: string | Buffer;
      udh?: Buffer[];
    }

    type ResponseCallback = (pdu: PDU) => void;
    type Shortcut = (options?: Record<string, unknown>, onResponse?: ResponseCallback) => boolean;

    class Session extends EventEmitter {
      socket: Socket;
      send(pdu: PDU, onResponse?: ResponseCallback, onSent?: ResponseCallback): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
      bind_transceiver: Shortcut;
      submit_sm: Shortcut;
      deliver_sm: Shortcut;
      enquire_link: Shortcut;
      unbind: Shortcut;
      generic_nack: Shortcut;
    }

    interface Server extends NetServer {
      sessions: Session[];
    }

    interface ConnectOptions {
      host?: string;
      port?: number;
      url?: string;
      auto_enquire_link_period?: number;
      [option: string]: unknown;
    }

    const PDU: {
      new (command: string, options?: Record<string, unknown>): PDU;
    };
    function connect(options: ConnectOptions, onConnect?: () => void): Session;
    function createServer(options: Record<string, unknown>, onSession?: (session: Session) => void): Server;
    const errors: Readonly<Record<string, number>>;
  }

  const smpp: {
    connect: typeof smpp.connect;
    createServer: typeof smpp.createServer;
    PDU: typeof smpp.PDU;
    errors: typeof smpp.errors;
  };
  export = smpp;
}
