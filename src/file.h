/* file.h - what the writers of whole files share (the backup, the engine image): a file is written
 * to a temporary name, synced and renamed over its place; file_sync_dir then makes the rename
 * itself survive a power cut. */
#ifndef CHITIEU_FILE_H
#define CHITIEU_FILE_H

/* Syncs the directory holding path (its entries: a rename, a new file); best effort, never fails. */
void file_sync_dir(const char *path);

#endif
