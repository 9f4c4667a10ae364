import type { ProcessCatalog } from '../engine/catalog.ts';
import type { Queryable } from './audit.ts';

/**
 * Where the XML of a deployed process comes from: the diagrams in bpmn/ (deployed at start-up,
 * held by the catalog) or a version deployed later from the admin modeler (process_deployment).
 * Whichever was deployed last is "the deployed version" the modeler diffs against.
 */
export interface DeployedProcess {
  id: string;
  name: string;
  version: number | null;
  xml: string;
  source: 'file' | 'modeler';
}

interface DeploymentRow {
  bpmn_process_id: string;
  version: number;
  name: string;
  xml: string;
  deployed_at: Date;
}

export function createProcessSource(deps: { db: Queryable; catalog: ProcessCatalog }) {
  const { db, catalog } = deps;
  // The catalog's files were deployed when this process started; a modeler deployment after that is newer.
  const bootedAt = new Date();

  const latestRow = async (id: string): Promise<DeploymentRow | undefined> => {
    const rows: DeploymentRow[] = await db.query(
      `SELECT bpmn_process_id, version, name, xml, deployed_at FROM process_deployment WHERE bpmn_process_id = $1
       ORDER BY deployed_at DESC, version DESC LIMIT 1`,
      [id],
    );
    return rows[0];
  };

  const fromRow = (r: DeploymentRow): DeployedProcess => ({ id: r.bpmn_process_id, name: r.name, version: r.version, xml: r.xml, source: 'modeler' });

  return {
    async latest(id: string): Promise<DeployedProcess | undefined> {
      const row = await latestRow(id);
      const fileXml = catalog.xml(id);
      if (row && (!fileXml || row.deployed_at >= bootedAt)) return fromRow(row);
      if (fileXml) return { id, name: catalog.processName(id) ?? id, version: null, xml: fileXml, source: 'file' };
      return row ? fromRow(row) : undefined;
    },

    /** The XML an instance of `version` runs on, as far as we know it. */
    async forVersion(id: string, version: number): Promise<string | undefined> {
      const rows: { xml: string }[] = await db.query(`SELECT xml FROM process_deployment WHERE bpmn_process_id = $1 AND version = $2`, [id, version]);
      return rows[0]?.xml ?? catalog.xml(id) ?? (await latestRow(id))?.xml;
    },

    /** Every process we can draw: bpmn/ files, modeler deployments, and processes that have instances. */
    async list(): Promise<{ id: string; name: string; latestVersion: number | null }[]> {
      const rows: { id: string; name: string | null; version: number | null }[] = await db.query(
        `SELECT id, (SELECT name FROM process_deployment d WHERE d.bpmn_process_id = ids.id ORDER BY deployed_at DESC LIMIT 1) AS name,
                GREATEST((SELECT max(version) FROM process_deployment d WHERE d.bpmn_process_id = ids.id),
                         (SELECT max(version) FROM engine_process_instance p WHERE p.bpmn_process_id = ids.id)) AS version
         FROM (SELECT unnest($1::text[]) AS id UNION SELECT bpmn_process_id FROM process_deployment
               UNION SELECT DISTINCT bpmn_process_id FROM engine_process_instance) ids ORDER BY id`,
        [catalog.processIds()],
      );
      return rows.map((r) => ({ id: r.id, name: catalog.processName(r.id) ?? r.name ?? r.id, latestVersion: r.version }));
    },

    name(id: string): string | undefined {
      return catalog.processName(id);
    },
  };
}

export type ProcessSource = ReturnType<typeof createProcessSource>;
