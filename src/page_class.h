/* page_class.h - the web pages and API handlers of the classification round (page_class.c,
 * api_class.c), registered in web.c's route table. */
#ifndef CHITIEU_PAGE_CLASS_H
#define CHITIEU_PAGE_CLASS_H

#include "web.h"

/* GET /class: the subjects of a unit's subtree the user may see, their steps, task conditions and
 * quota, with a form for the step the user may take on each. */
int page_class(web_ctx *c);
/* POST /class: takes one step (assess, appraise, decide) as the logged-in user. */
int page_class_post(web_ctx *c);
/* GET /class/awards: the emulation awards of a unit's subtree the user may see, searchable without
 * diacritics. */
int page_class_awards(web_ctx *c);
/* GET /api/v1/class/results: the results of a year in a unit's subtree, members only where the
 * caller may see them. */
int api_class_results(web_ctx *c);
/* POST /api/v1/class/steps: one step as the caller, from a JSON body. */
int api_class_step_post(web_ctx *c);

#endif
