"""What every stage leans on and none owns: files written atomically, worker processes, progress, retries."""
