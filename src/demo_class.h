/* demo_class.h - the demo's classification round (demo_class.c), added by `chitieu demo`. */
#ifndef CHITIEU_DEMO_CLASS_H
#define CHITIEU_DEMO_CLASS_H

#include "demo.h"
#include "model.h"
#include "store.h"

/* 1 if an embedded file belongs to the classification round ("class_*.csv"), not to the figures. */
int demo_class_file(const char *name);
/* Imports the embedded class_criteria.csv, class_subjects.csv and class_awards.csv and takes the
 * round of DEMO_CLASS_YEAR for every subject through class_step as the demo users (self-assessment
 * by the unit's editor, appraisal and decision by the approver above), so /class is filled in.
 * Needs the demo users; returns 0 or -1 (e names the file or the subject that failed). */
int demo_class_round(store *s, const model *m, err_t *e);

#define DEMO_CLASS_YEAR 2024

#endif
