import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  to: string[];
  subject: string;
  text: string;
}

/** A real SMTP server in the test process: the app sends through SMTP_URL, the test reads what arrived. */
export class SmtpCapture {
  readonly mails: CapturedMail[] = [];
  private server!: SMTPServer;
  url = '';

  static async start(): Promise<SmtpCapture> {
    const capture = new SmtpCapture();
    capture.server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            capture.mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: parsed.subject ?? '', text: parsed.text ?? '' });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve) => capture.server.listen(0, '127.0.0.1', () => resolve()));
    capture.url = `smtp://127.0.0.1:${(capture.server.server.address() as AddressInfo).port}`;
    return capture;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
