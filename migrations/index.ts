import { Foundation1764028800000 } from './1764028800000-Foundation.ts';
import { SeedCountyUnits1764028800001 } from './1764028800001-SeedCountyUnits.ts';
import { ClosedLoop1764028800300 } from './1764028800300-ClosedLoop.ts';
import { ProcessDeployment1764028800700 } from './1764028800700-ProcessDeployment.ts';
import { DocumentNumbers1764028800200 } from './1764028800200-DocumentNumbers.ts';
import { CaseData1764028800400 } from './1764028800400-CaseData.ts';
import { Indicators1764028800500 } from './1764028800500-Indicators.ts';
import { LoopCalendar1764028800800 } from './1764028800800-LoopCalendar.ts';
import { DocumentReads1764028800810 } from './1764028800810-DocumentReads.ts';
import { TaskCollaboration1764028800900 } from './1764028800900-TaskCollaboration.ts';
import { EngineVariables1764028800910 } from './1764028800910-EngineVariables.ts';
import { CaseMergeSpeed1764028801000 } from './1764028801000-CaseMergeSpeed.ts';
import { EngineOnOperaton1764028801100 } from './1764028801100-EngineOnOperaton.ts';
import { CaseImportLine1764028801200 } from './1764028801200-CaseImportLine.ts';
import { EngineIdentity1764028801300 } from './1764028801300-EngineIdentity.ts';
import { ImportCoverage1764028801400 } from './1764028801400-ImportCoverage.ts';
import { EscalationOrders1764028801500 } from './1764028801500-EscalationOrders.ts';
import { RunDataChecksum1764028801600 } from './1764028801600-RunDataChecksum.ts';
import { LevelReassessment1764028801700 } from './1764028801700-LevelReassessment.ts';
import { DecisionReviews1764028801800 } from './1764028801800-DecisionReviews.ts';
import { UnitInterviews1764028802200 } from './1764028802200-UnitInterviews.ts';
import { UserTotp1764028802300 } from './1764028802300-UserTotp.ts';
import { PlaintiffCounts1764028802400 } from './1764028802400-PlaintiffCounts.ts';
import { CauseCatalogue1764028802500 } from './1764028802500-CauseCatalogue.ts';
import { RunFigures1764028802600 } from './1764028802600-RunFigures.ts';
import { CaseImportCost1764028802700 } from './1764028802700-CaseImportCost.ts';
import { RowVersions1764028802100 } from './1764028802100-RowVersions.ts';
import { TopicReports1764028802000 } from './1764028802000-TopicReports.ts';
import { SeminarRecord1764028801900 } from './1764028801900-SeminarRecord.ts';

/** Every migration in order. Append new ones at the end; never edit one that has shipped. */
export const migrations = [
  Foundation1764028800000,
  SeedCountyUnits1764028800001,
  ClosedLoop1764028800300,
  ProcessDeployment1764028800700,
  DocumentNumbers1764028800200,
  CaseData1764028800400,
  LoopCalendar1764028800800,
  DocumentReads1764028800810,
  Indicators1764028800500,
  TaskCollaboration1764028800900,
  EngineVariables1764028800910,
  CaseMergeSpeed1764028801000,
  EngineOnOperaton1764028801100,
  CaseImportLine1764028801200,
  EngineIdentity1764028801300,
  ImportCoverage1764028801400,
  EscalationOrders1764028801500,
  RunDataChecksum1764028801600,
  LevelReassessment1764028801700,
  DecisionReviews1764028801800,
  SeminarRecord1764028801900,
  TopicReports1764028802000,
  RowVersions1764028802100,
  UnitInterviews1764028802200,
  UserTotp1764028802300,
  PlaintiffCounts1764028802400,
  CauseCatalogue1764028802500,
  RunFigures1764028802600,
  CaseImportCost1764028802700,
];
