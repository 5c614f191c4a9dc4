import type { PodTemplate } from './pod-template.js';
import { matchTemplate, type Selector, type TemplateMatch } from './selector.js';
import { pushTo } from '../objects/values.js';

/**
 * The pod templates of one namespace, indexed by label so that a selector looks at the templates that carry
 * its labels instead of scanning them all. Controller-added labels whose value we cannot know (hashes, uids,
 * ordinals) are indexed under their key alone.
 */
export class NamespaceLabelIndex {
  readonly templates: PodTemplate[] = [];
  private readonly order = new Map<PodTemplate, number>();
  private readonly byValue = new Map<string, Map<string, PodTemplate[]>>();
  private readonly byKeyOnly = new Map<string, PodTemplate[]>();
  private readonly byKey = new Map<string, PodTemplate[]>();

  add(template: PodTemplate): void {
    this.order.set(template, this.templates.length);
    this.templates.push(template);
    for (const [key, value] of Object.entries(template.labels)) {
      pushTo(this.byKey, key, template);
      let values = this.byValue.get(key);
      if (!values) this.byValue.set(key, (values = new Map<string, PodTemplate[]>()));
      pushTo(values, value, template);
    }
    for (const label of template.controllerLabels) {
      if (template.labels[label.key] !== undefined) continue;
      pushTo(this.byKey, label.key, template);
      if (label.kind === 'fixed') {
        let values = this.byValue.get(label.key);
        if (!values) this.byValue.set(label.key, (values = new Map<string, PodTemplate[]>()));
        pushTo(values, label.value, template);
      } else {
        pushTo(this.byKeyOnly, label.key, template);
      }
    }
  }

  /** Templates whose pods the selector selects, in input order. */
  select(selector: Selector): TemplateMatch[] {
    if (selector.kind === 'nothing') return [];
    const matches: TemplateMatch[] = [];
    for (const template of this.candidates(selector)) {
      const match = matchTemplate(selector, template);
      if (match) matches.push(match);
    }
    return matches;
  }

  /**
   * The smallest set of templates that can possibly satisfy one of the requirements. Only the posting lists'
   * lengths are compared and only the winner is copied: a label every template of the namespace shares
   * (`app.kubernetes.io/part-of`) must not cost a copy of all templates per Service.
   */
  private candidates(selector: Selector): readonly PodTemplate[] {
    let best: readonly (readonly PodTemplate[])[] | undefined;
    let bestSize = this.templates.length;
    for (const requirement of selector.requirements) {
      let lists: (readonly PodTemplate[])[];
      if (requirement.operator === 'In') {
        const values = this.byValue.get(requirement.key);
        // Values are a set upstream (`In [a, a]` is valid): each list is taken once.
        lists = [];
        for (const value of new Set(requirement.values)) {
          const list = values?.get(value);
          if (list) lists.push(list);
        }
        const keyOnly = this.byKeyOnly.get(requirement.key);
        if (keyOnly) lists.push(keyOnly);
      } else if (requirement.operator === 'Exists') {
        const list = this.byKey.get(requirement.key);
        lists = list ? [list] : [];
      } else {
        continue;
      }
      // An upper bound of the union's size: a template in two lists (a value and key-only) counts twice.
      const size = lists.reduce((n, list) => n + list.length, 0);
      if (size < bestSize) {
        best = lists;
        bestSize = size;
      }
    }
    if (!best) return this.templates;
    // One posting list is in input order already (templates are added in order).
    if (best.length === 1) return best[0]!;
    // Keep input order whatever index answered, so results do not depend on the requirement order.
    return [...new Set(best.flat())].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
  }
}
