{{ stage_report_seed('report_hovedgrupper') }}
