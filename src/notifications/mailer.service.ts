import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import nodemailer, { type Transporter } from 'nodemailer';
import { Repository } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Notification } from './notification.entity.js';

export interface Mail {
  businessId: string | null;
  kind: string;
  to: string[];
  subject: string;
  text: string;
}

/**
 * Alert e-mails through SMTP_URL (nodemailer). Each one is also a `notification` row, so nothing is dropped
 * silently: without SMTP_URL it is written to the log instead, and a failed send keeps its error.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly logger = new Logger('Mailer');
  private readonly transport: Transporter | null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
  ) {
    this.transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  async send(mail: Mail): Promise<Notification['delivery']> {
    let delivery: Notification['delivery'] = 'logged';
    let error: string | null = null;
    if (mail.to.length === 0) {
      this.logger.warn({ kind: mail.kind, businessId: mail.businessId, subject: mail.subject }, `No recipient for this alert: ${mail.subject}`);
    } else if (!this.transport) {
      this.logger.warn({ kind: mail.kind, businessId: mail.businessId, to: mail.to, subject: mail.subject, text: mail.text }, `SMTP_URL is not set: alert e-mail written here instead: ${mail.subject}`);
    } else {
      try {
        await this.transport.sendMail({ from: this.config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
        delivery = 'sent';
      } catch (caught) {
        delivery = 'failed';
        error = (caught as Error).message;
        this.logger.error({ kind: mail.kind, businessId: mail.businessId, err: caught }, `Could not send an alert e-mail through SMTP_URL: ${mail.subject}`);
      }
    }
    await this.notifications.insert({ businessId: mail.businessId, kind: mail.kind, recipients: mail.to, subject: mail.subject, body: mail.text, delivery, error });
    return delivery;
  }
}
