{{ stage_report_seed(
    ref('report_tiltak_og_hovedgrupper'),
    table_code='tiltak_hovedgruppe'
) }}
