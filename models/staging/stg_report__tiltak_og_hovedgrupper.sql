{{ stage_report_seed('report_tiltak_og_hovedgrupper') }}
