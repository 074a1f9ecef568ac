import type { AppContext } from '../../app/context';
import { monthReport } from '../../app/audit/month-report';
import type { ReportSettings } from '../../app/audit/monthly-report-job';
import type { Person } from '../../domain/types';
import { renderCard } from './render-template';
import { reportCardData } from './report-view';
import type { ChatAnswer } from './review-chat';

/** The Teams side of the audit report: "report [last month|YYYY-MM]". */
export class ReportChat {
  constructor(
    private readonly app: AppContext,
    private readonly cardsDir: string,
    private readonly settings: ReportSettings,
  ) {}

  async answer(caller: Person, monthText: string): Promise<ChatAnswer> {
    const result = await monthReport(this.app, caller, this.settings, monthText);
    if (!result.ok) return { text: result.message };
    return { card: renderCard(this.cardsDir, 'report', reportCardData(result.value)) };
  }
}
